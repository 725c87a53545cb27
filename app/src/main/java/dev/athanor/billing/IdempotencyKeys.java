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
            IdempotencyKeyDao keys = handle.attach(IdempotencyKeyDao.class);
            Optional<String> existing = keys.recent(learnerId, purpose, fingerprint, reuseWithin.toSeconds());
            if (existing.isPresent()) {
                return existing.get();
            }
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            String key = "athanor-" + purpose + "-" + HexFormat.of().formatHex(bytes);
            keys.insert(key, purpose, learnerId, fingerprint);
            return key;
        });
    }

    /** Notes which object a key's call made. */
    void made(String key, String objectId) {
        jdbi.useExtension(IdempotencyKeyDao.class, keys -> keys.made(key, objectId));
    }
}
