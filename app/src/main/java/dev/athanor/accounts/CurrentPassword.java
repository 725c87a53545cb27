package dev.athanor.accounts;

import org.jdbi.v3.core.Jdbi;

/** Checks a signed-in learner's current password, which changes of password, address and second factor ask for. */
final class CurrentPassword {

    private final Jdbi jdbi;
    private final Passwords passwords;

    CurrentPassword(Jdbi jdbi, Passwords passwords) {
        this.jdbi = jdbi;
        this.passwords = passwords;
    }

    boolean matches(long learnerId, String password) {
        return jdbi.withExtension(LearnerDao.class, dao -> dao.credentials(learnerId))
                .map(found -> passwords.matches(password, found.passwordHash())).orElse(false);
    }
}
