package dev.athanor.accounts;

import java.time.Duration;
import java.util.Optional;

/** How a password sign-in went: signed in, refused (wrong address or password, never which), or wait first. */
public record SignInAttempt(Optional<Accounts.SignedIn> signedIn, Optional<Duration> retryAfter) {

    static SignInAttempt signedIn(Accounts.SignedIn session) {
        return new SignInAttempt(Optional.of(session), Optional.empty());
    }

    static SignInAttempt refused() {
        return new SignInAttempt(Optional.empty(), Optional.empty());
    }

    static SignInAttempt throttled(Duration wait) {
        return new SignInAttempt(Optional.empty(), Optional.of(wait));
    }
}
