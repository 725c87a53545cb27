package dev.athanor.ops.certs;

import java.time.Instant;
import java.util.Optional;

/** The CA answered with a rate limit; nothing is ordered again before {@link #retryAfter()}. */
public class RateLimitedException extends CertsException {

    private static final long serialVersionUID = 1L;

    private final transient Instant retryAfter;

    public RateLimitedException(String message, Instant retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When the CA allows the next attempt, if it said. */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
