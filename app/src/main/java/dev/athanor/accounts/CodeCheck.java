package dev.athanor.accounts;

import java.time.Duration;
import java.util.Optional;

/**
 * How a check of a one-time code (from an authenticator, or a recovery code) went: accepted, with what it gave;
 * refused; too many attempts, with how long to wait; or the pending sign-in it was for has expired.
 */
record CodeCheck<T>(Optional<T> accepted, Optional<Duration> retryAfter, boolean expired) {

    static <T> CodeCheck<T> accepted(T value) {
        return new CodeCheck<>(Optional.of(value), Optional.empty(), false);
    }

    static <T> CodeCheck<T> refused() {
        return new CodeCheck<>(Optional.empty(), Optional.empty(), false);
    }

    static <T> CodeCheck<T> throttled(Duration wait) {
        return new CodeCheck<>(Optional.empty(), Optional.of(wait), false);
    }

    static <T> CodeCheck<T> expiredSignIn() {
        return new CodeCheck<>(Optional.empty(), Optional.empty(), true);
    }
}
