package dev.athanor.accounts;

import dev.athanor.mail.Mail;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A signed-in learner moving their account to a new address: for the current password, a link goes to the new
 * address, and the address changes (confirmed) when the link is used, unless another account has taken it meanwhile.
 */
final class ChangeOfAddress {

    static final Duration LINK_LIFETIME = Duration.ofHours(1);
    private static final String PURPOSE = "change-email";

    private final Jdbi jdbi;
    private final Mail mail;
    private final String baseUrl;
    private final CurrentPassword currentPassword;
    private final OneTimeTokens tokens;

    ChangeOfAddress(Jdbi jdbi, Mail mail, String baseUrl, CurrentPassword currentPassword, OneTimeTokens tokens) {
        this.jdbi = jdbi;
        this.mail = mail;
        this.baseUrl = baseUrl;
        this.currentPassword = currentPassword;
        this.tokens = tokens;
    }

    /** Sends a confirmation link to the new address; the problem with what was typed instead. */
    Optional<Accounts.Problem> request(long learnerId, String password, String newEmail) {
        String address = EmailAddresses.normalize(newEmail);
        if (!EmailAddresses.plausible(address)) {
            return Optional.of(new Accounts.Problem("email", EmailAddresses.NOT_AN_ADDRESS));
        }
        if (!currentPassword.matches(learnerId, password)) {
            return Optional.of(new Accounts.Problem("current", "That is not your current password."));
        }
        jdbi.useTransaction(handle -> {
            String token = tokens.issue(handle, learnerId, PURPOSE, LINK_LIFETIME, address);
            mail.queue(handle, address, "change-email", Map.of("email", address,
                    "link", baseUrl + "/account/email/" + token));
        });
        return Optional.empty();
    }

    boolean linkValid(String token) {
        return jdbi.withHandle(handle -> tokens.valid(handle, token, PURPOSE));
    }

    /** Uses a change-of-address link; false when it is no good or the address has meanwhile been taken. */
    boolean confirm(String token) {
        return jdbi.inTransaction(handle -> tokens.redeem(handle, token, PURPOSE).map(redeemed -> {
            LearnerDao learners = handle.attach(LearnerDao.class);
            if (learners.taken(redeemed.newEmail())) {
                return false;
            }
            learners.changeEmail(redeemed.learnerId(), redeemed.newEmail());
            return true;
        }).orElse(false));
    }
}
