package dev.athanor.billing;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code stripe_request} table: the idempotency key of each call to Stripe that makes something. */
interface IdempotencyKeyDao {

    /** The newest key of the same request (learner, purpose, fingerprint) made within {@code withinSeconds}. */
    @SqlQuery("""
            SELECT idempotency_key FROM stripe_request
            WHERE learner_id IS NOT DISTINCT FROM :learner AND purpose = :purpose
              AND fingerprint = :fingerprint AND created_at > now() - make_interval(secs => :within)
            ORDER BY created_at DESC LIMIT 1""")
    Optional<String> recent(@Bind("learner") Long learnerId, @Bind("purpose") String purpose,
            @Bind("fingerprint") String fingerprint, @Bind("within") long withinSeconds);

    @SqlUpdate("""
            INSERT INTO stripe_request (idempotency_key, purpose, learner_id, fingerprint)
            VALUES (:key, :purpose, :learner, :fingerprint)""")
    void insert(@Bind("key") String key, @Bind("purpose") String purpose, @Bind("learner") Long learnerId,
            @Bind("fingerprint") String fingerprint);

    @SqlUpdate("UPDATE stripe_request SET object_id = :object WHERE idempotency_key = :key")
    void made(@Bind("key") String key, @Bind("object") String objectId);
}
