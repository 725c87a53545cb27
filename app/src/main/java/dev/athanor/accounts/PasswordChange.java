package dev.athanor.accounts;

import java.util.Optional;

/** How a change of password went: the new session, or the problem with what was typed. */
record PasswordChange(Optional<Accounts.SignedIn> signedIn, Optional<Accounts.Problem> problem) {

    static PasswordChange changed(Accounts.SignedIn session) {
        return new PasswordChange(Optional.of(session), Optional.empty());
    }

    static PasswordChange problem(Accounts.Problem problem) {
        return new PasswordChange(Optional.empty(), Optional.of(problem));
    }
}
