package dev.athanor.accounts;

import dev.athanor.mail.Mail;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Signing up and confirming the address. A sign-up for an address that has an account already gets the same answer,
 * and the address a note instead of a link, so the form tells a stranger nothing; the password is hashed either way.
 */
final class SignUp {

    static final Duration VERIFY_LIFETIME = Duration.ofDays(3);

    private final Jdbi jdbi;
    private final Mail mail;
    private final String baseUrl;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final OneTimeTokens tokens;
    private final Throttle throttle;

    SignUp(Jdbi jdbi, Mail mail, String baseUrl, Passwords passwords, PasswordPolicy policy, OneTimeTokens tokens,
            Throttle throttle) {
        this.jdbi = jdbi;
        this.mail = mail;
        this.baseUrl = baseUrl;
        this.passwords = passwords;
        this.policy = policy;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    /**
     * Counts a sign-up attempt from a client address for an address; the wait when either has made too many (a
     * sign-up sends mail to the address whether or not it has an account, so it is limited like the mailed links).
     */
    Optional<Duration> throttle(String clientAddress, String email) {
        return throttle.acquireBoth("sign-up:client:" + clientAddress, Limits.SIGN_UPS_PER_CLIENT,
                "mail:" + EmailAddresses.normalize(email), Limits.MAILS_PER_ADDRESS);
    }

    /** Signs up {@code email}: a confirmation link to the address, or a note that it has an account already. */
    Optional<Accounts.Problem> signUp(String email, String password, boolean newsletter, String source) {
        String address = EmailAddresses.normalize(email);
        if (!EmailAddresses.plausible(address)) {
            return Optional.of(new Accounts.Problem("email", EmailAddresses.NOT_AN_ADDRESS));
        }
        Optional<String> weak = policy.problem(password, address);
        if (weak.isPresent()) {
            return Optional.of(new Accounts.Problem("password", weak.get()));
        }
        String hash = passwords.hash(password);
        jdbi.useTransaction(handle -> {
            Optional<Long> created = handle.attach(LearnerDao.class).insert(address, hash);
            if (created.isEmpty()) {
                mail.queue(handle, address, "already-registered", Map.of("email", address));
                return;
            }
            if (newsletter) {
                Newsletter.consent(handle, created.get(), true, source);
            }
            mailLink(handle, created.get(), address);
        });
        return Optional.empty();
    }

    boolean linkValid(String token) {
        return jdbi.withHandle(handle -> tokens.valid(handle, token, "verify"));
    }

    /** Confirms an address from its link; false when the link is used, expired or unknown. */
    boolean verify(String token) {
        return jdbi.inTransaction(handle -> tokens.redeem(handle, token, "verify").map(redeemed -> {
            String email = handle.attach(LearnerDao.class).confirmEmail(redeemed.learnerId()).orElseThrow();
            mail.queue(handle, email, "welcome", Map.of());
            return true;
        }).orElse(false));
    }

    /** Sends a new confirmation link to a signed-in learner whose address is not confirmed yet. */
    void resendLink(long learnerId) {
        jdbi.useTransaction(handle -> handle.attach(LearnerDao.class).unconfirmedEmail(learnerId)
                .ifPresent(email -> mailLink(handle, learnerId, email)));
    }

    private void mailLink(Handle handle, long learnerId, String email) {
        String token = tokens.issue(handle, learnerId, "verify", VERIFY_LIFETIME, null);
        mail.queue(handle, email, "verify", Map.of("email", email, "link", baseUrl + "/verify/" + token,
                "hours", VERIFY_LIFETIME.toHours()));
    }
}
