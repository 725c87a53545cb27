package dev.athanor.accounts;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code pending_sign_in} table: sign-ins that have passed the first factor and wait for the second. */
interface PendingSignInDao {

    @SqlUpdate("""
            INSERT INTO pending_sign_in (token_hash, learner_id, created_at, expires_at)
            VALUES (:hash, :learner, :now, :expires)""")
    void insert(@Bind("hash") byte[] hash, @Bind("learner") long learnerId, @Bind("now") Instant now,
            @Bind("expires") Instant expires);

    /** The learner of a live pending sign-in. */
    @SqlQuery("""
            SELECT p.learner_id FROM pending_sign_in p JOIN learner l ON l.id = p.learner_id
            WHERE p.token_hash = :hash AND p.expires_at > :now AND l.disabled_at IS NULL""")
    Optional<Long> learner(@Bind("hash") byte[] hash, @Bind("now") Instant now);

    /** Ends a pending sign-in; true for at most one caller. */
    @SqlUpdate("DELETE FROM pending_sign_in WHERE token_hash = :hash AND expires_at > :now")
    boolean take(@Bind("hash") byte[] hash, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM pending_sign_in WHERE learner_id = :learner")
    int deleteAll(@Bind("learner") long learnerId);

    /** Forgets sign-ins that waited too long for their second factor. */
    @SqlUpdate("DELETE FROM pending_sign_in WHERE expires_at < now()")
    int deleteExpired();
}
