package dev.athanor.accounts;

import java.util.Optional;

/**
 * How a password reset went: done (and signed in, or on to the second factor), the password refused, or the link no
 * good.
 */
record ResetOutcome(Optional<Accounts.Entry> entered, Optional<String> weakPassword, boolean linkValid) {

    static ResetOutcome done(Accounts.Entry session) {
        return new ResetOutcome(Optional.of(session), Optional.empty(), true);
    }

    static ResetOutcome weak(String problem) {
        return new ResetOutcome(Optional.empty(), Optional.of(problem), true);
    }

    static ResetOutcome invalidLink() {
        return new ResetOutcome(Optional.empty(), Optional.empty(), false);
    }
}
