package dev.athanor.accounts;

import java.time.Duration;
import java.util.Optional;

/**
 * How a password sign-in went: through (signed in, or on to the second factor), refused (wrong address or password,
 * never which), or wait first.
 */
record SignInAttempt(Optional<Accounts.Entry> entered, Optional<Duration> retryAfter) {

    static SignInAttempt entered(Accounts.Entry entry) {
        return new SignInAttempt(Optional.of(entry), Optional.empty());
    }

    static SignInAttempt refused() {
        return new SignInAttempt(Optional.empty(), Optional.empty());
    }

    static SignInAttempt throttled(Duration wait) {
        return new SignInAttempt(Optional.empty(), Optional.of(wait));
    }
}
