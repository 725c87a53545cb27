package dev.athanor.billing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Idempotency keys for calls to Stripe, stored and committed before the call: when the call times out and is made
 * again (by the learner pressing the button again, or by a retry), the same request gets the same key back and
 * Stripe answers with the object it already made instead of making a second one. Stripe keeps keys for a day; keys
 * are reused for less than that.
 */
final class IdempotencyKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;

    IdempotencyKeys(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The key for a request: the stored one when the same learner made the same request ({@code fingerprint})
     * within {@code reuseWithin}, else a new one, committed before this returns.
     */
    String keyFor(Long learnerId, String purpose, String fingerprint, Duration reuseWithin) {
        return jdbi.inTransaction(handle -> {
            Optional<String> existing = handle.createQuery("""
                    SELECT idempotency_key FROM stripe_request
                    WHERE learner_id IS NOT DISTINCT FROM :learner AND purpose = :purpose
                      AND fingerprint = :fingerprint AND created_at > now() - make_interval(secs => :within)
                    ORDER BY created_at DESC LIMIT 1""")
                    .bind("learner", learnerId).bind("purpose", purpose).bind("fingerprint", fingerprint)
                    .bind("within", reuseWithin.toSeconds()).mapTo(String.class).findOne();
            if (existing.isPresent()) {
                return existing.get();
            }
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            String key = "athanor-" + purpose + "-" + HexFormat.of().formatHex(bytes);
            handle.createUpdate("""
                    INSERT INTO stripe_request (idempotency_key, purpose, learner_id, fingerprint)
                    VALUES (:key, :purpose, :learner, :fingerprint)""")
                    .bind("key", key).bind("purpose", purpose).bind("learner", learnerId)
                    .bind("fingerprint", fingerprint).execute();
            return key;
        });
    }

    /** Notes which object a key's call made. */
    void made(String key, String objectId) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE stripe_request SET object_id = :object"
                + " WHERE idempotency_key = :key").bind("object", objectId).bind("key", key).execute());
    }
}
