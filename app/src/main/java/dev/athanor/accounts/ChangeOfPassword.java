package dev.athanor.accounts;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A signed-in learner changing their password: the current one is needed, the session gets a new id, the other
 * sessions end when asked, and every device cookie is revoked (this browser gets a new one).
 */
final class ChangeOfPassword {

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final CurrentPassword currentPassword;
    private final Sessions sessions;
    private final Entrance entrance;

    ChangeOfPassword(Jdbi jdbi, Passwords passwords, PasswordPolicy policy, CurrentPassword currentPassword,
            Sessions sessions, Entrance entrance) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.policy = policy;
        this.currentPassword = currentPassword;
        this.sessions = sessions;
        this.entrance = entrance;
    }

    /** The problem with what was typed, or the new session. */
    PasswordChange change(long learnerId, String currentSessionToken, String current, String replacement,
            boolean endOthers, String deviceCookie, String userAgent, String clientAddress) {
        if (!currentPassword.matches(learnerId, current)) {
            return PasswordChange.problem(new Accounts.Problem("current", "That is not your current password."));
        }
        String email = jdbi.withExtension(LearnerDao.class, dao -> dao.email(learnerId)).orElseThrow();
        Optional<String> weak = policy.problem(replacement, email);
        if (weak.isPresent()) {
            return PasswordChange.problem(new Accounts.Problem("password", weak.get()));
        }
        String hash = passwords.hash(replacement);
        Accounts.SignedIn signedIn = jdbi.inTransaction(handle -> {
            handle.attach(LearnerDao.class).changePassword(learnerId, hash);
            sessions.end(handle, currentSessionToken);
            if (endOthers) {
                sessions.endAll(handle, learnerId, null);
            }
            entrance.revokeTrust(handle, learnerId);
            return entrance.start(handle, learnerId, deviceCookie, userAgent, clientAddress);
        });
        return PasswordChange.changed(signedIn);
    }
}
