package dev.athanor.accounts;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code one_time_token} table: the links sent by mail, hashed, each for one purpose and one use. */
@RegisterConstructorMapper(OneTimeTokens.Redeemed.class)
interface OneTimeTokenDao {

    /** Voids the learner's unused links for {@code purpose}, as a new one is issued. */
    @SqlUpdate("""
            UPDATE one_time_token SET used_at = now()
            WHERE learner_id = :learner AND purpose = :purpose AND used_at IS NULL""")
    void voidUnused(@Bind("learner") long learnerId, @Bind("purpose") String purpose);

    @SqlUpdate("""
            INSERT INTO one_time_token (token_hash, learner_id, purpose, new_email, expires_at)
            VALUES (:hash, :learner, :purpose, :email, :expires)""")
    void insert(@Bind("hash") byte[] hash, @Bind("learner") long learnerId, @Bind("purpose") String purpose,
            @Bind("email") String newEmail, @Bind("expires") Instant expires);

    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM one_time_token WHERE token_hash = :hash AND purpose = :purpose
                           AND used_at IS NULL AND expires_at > :now)""")
    boolean valid(@Bind("hash") byte[] hash, @Bind("purpose") String purpose, @Bind("now") Instant now);

    /** Uses a valid token up: a row for at most one caller. */
    @SqlQuery("""
            UPDATE one_time_token SET used_at = :now
            WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now
            RETURNING learner_id, new_email""")
    Optional<OneTimeTokens.Redeemed> redeem(@Bind("hash") byte[] hash, @Bind("purpose") String purpose,
            @Bind("now") Instant now);

    @SqlQuery("SELECT learner_id FROM one_time_token WHERE token_hash = :hash")
    Optional<Long> learner(@Bind("hash") byte[] hash);

    /** Forgets links a week after they expired (used ones are voided, so they expire too). */
    @SqlUpdate("DELETE FROM one_time_token WHERE expires_at < now() - interval '7 days'")
    int deleteExpired();
}
