package dev.athanor.accounts;

import java.time.Instant;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code device} table: hashed device cookies, each tied to one learner until it expires or is revoked. */
interface DeviceDao {

    @SqlUpdate("""
            INSERT INTO device (token_hash, learner_id, created_at, expires_at)
            VALUES (:hash, :learner, :now, :expires)""")
    void insert(@Bind("hash") byte[] hash, @Bind("learner") long learnerId, @Bind("now") Instant now,
            @Bind("expires") Instant expires);

    @SqlUpdate("DELETE FROM device WHERE token_hash = :hash")
    int delete(@Bind("hash") byte[] hash);

    @SqlUpdate("DELETE FROM device WHERE learner_id = :learner")
    int deleteAll(@Bind("learner") long learnerId);

    /** Whether {@code hash} is a live device of the account with {@code email}. */
    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM device d JOIN learner l ON l.id = d.learner_id
                           WHERE d.token_hash = :hash AND l.email = :email AND d.expires_at > :now)""")
    boolean liveFor(@Bind("hash") byte[] hash, @Bind("email") String email, @Bind("now") Instant now);

    /** Forgets device cookies past their year. */
    @SqlUpdate("DELETE FROM device WHERE expires_at < now()")
    int deleteExpired();
}
