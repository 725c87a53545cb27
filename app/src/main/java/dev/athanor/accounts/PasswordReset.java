package dev.athanor.accounts;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Resetting a forgotten password with a mailed link: the new password ends every session and revokes every device
 * cookie, and this browser signs in (after the second factor, when the account has one).
 */
final class PasswordReset {

    static final Duration LINK_LIFETIME = Duration.ofHours(1);
    private static final MailedLinks.Kind LINK = new MailedLinks.Kind("reset", LINK_LIFETIME, "reset", "/reset/",
            Map.of(), "password reset");

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final Sessions sessions;
    private final OneTimeTokens tokens;
    private final MailedLinks links;
    private final Entrance entrance;

    PasswordReset(Jdbi jdbi, Passwords passwords, PasswordPolicy policy, Sessions sessions, OneTimeTokens tokens,
            MailedLinks links, Entrance entrance) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.policy = policy;
        this.sessions = sessions;
        this.tokens = tokens;
        this.links = links;
        this.entrance = entrance;
    }

    /** Mails a password reset link (or, for an address without an account, a note saying so). */
    Optional<Duration> request(String email, String clientAddress) {
        return links.send(email, clientAddress, LINK);
    }

    boolean linkValid(String token) {
        return links.valid(token, LINK);
    }

    /** Sets a new password from a reset link; a weak password is refused without using the link up. */
    ResetOutcome reset(String token, String password, String deviceCookie, String userAgent, String clientAddress) {
        return jdbi.inTransaction(handle -> {
            if (!tokens.valid(handle, token, LINK.purpose())) {
                return ResetOutcome.invalidLink();
            }
            LearnerDao learners = handle.attach(LearnerDao.class);
            long learner = tokens.learner(handle, token).orElseThrow();
            Optional<String> weak = policy.problem(password, learners.email(learner).orElseThrow());
            if (weak.isPresent()) {
                return ResetOutcome.weak(weak.get());
            }
            tokens.redeem(handle, token, LINK.purpose()).orElseThrow();
            learners.resetPassword(learner, passwords.hash(password));
            sessions.endAll(handle, learner, null);
            entrance.revokeTrust(handle, learner);
            return ResetOutcome.done(entrance.enter(handle, learner, deviceCookie, userAgent, clientAddress));
        });
    }
}
