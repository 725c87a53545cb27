package dev.athanor.accounts;

import dev.athanor.mail.Mail;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Links a stranger may ask to be mailed (a sign-in link, a password reset link). The address gets a message whether or
 * not it has an account (a note saying so when it has none), so the answer tells nothing; and requests are limited per
 * client address and per recipient address, which keeps the site from being used to flood someone's inbox.
 */
final class MailedLinks {

    /**
     * A kind of link: the token's purpose and lifetime, the mail template, the link's path (the token follows), what
     * else the template shows, and what the no-account note calls it.
     */
    record Kind(String purpose, Duration lifetime, String template, String path, Map<String, ?> model, String what) {
    }

    private final Jdbi jdbi;
    private final Mail mail;
    private final String baseUrl;
    private final OneTimeTokens tokens;
    private final Throttle throttle;

    MailedLinks(Jdbi jdbi, Mail mail, String baseUrl, OneTimeTokens tokens, Throttle throttle) {
        this.jdbi = jdbi;
        this.mail = mail;
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    /** Mails a link of {@code kind} to {@code email}; the wait instead, when over a limit. */
    Optional<Duration> send(String email, String clientAddress, Kind kind) {
        String address = EmailAddresses.normalize(email);
        Optional<Duration> wait = throttle.acquireBoth(kind.purpose() + ":client:" + clientAddress,
                Limits.MAILED_LINKS_PER_CLIENT, "mail:" + address, Limits.MAILS_PER_ADDRESS);
        if (wait.isPresent() || !EmailAddresses.plausible(address)) {
            return wait;
        }
        jdbi.useTransaction(handle -> {
            Optional<Long> learner = handle.attach(LearnerDao.class).enabledIdOf(address);
            if (learner.isEmpty()) {
                mail.queue(handle, address, "no-account", Map.of("email", address, "what", kind.what()));
                return;
            }
            String token = tokens.issue(handle, learner.get(), kind.purpose(), kind.lifetime(), null);
            Map<String, Object> values = new HashMap<>(kind.model());
            values.put("link", baseUrl + kind.path() + token);
            mail.queue(handle, address, kind.template(), values);
        });
        return Optional.empty();
    }

    /** Whether a mailed link of {@code kind} would work now, without using it. */
    boolean valid(String token, Kind kind) {
        return jdbi.withHandle(handle -> tokens.valid(handle, token, kind.purpose()));
    }
}
