package dev.athanor.accounts;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Signing in, by password or by an emailed link, and out. Wrong passwords are counted per client address and (unless
 * the browser carries a live device cookie of the account, which keeps the owner from being locked out) per account;
 * an address without an account costs a password hash all the same, so timing tells nothing either.
 */
final class SignIn {

    static final Duration LINK_LIFETIME = Duration.ofMinutes(15);
    private static final MailedLinks.Kind LINK = new MailedLinks.Kind("login", LINK_LIFETIME, "login-link",
            "/login/link/", Map.of("minutes", LINK_LIFETIME.toMinutes()), "sign-in link");

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final Throttle throttle;
    private final Devices devices;
    private final Sessions sessions;
    private final OneTimeTokens tokens;
    private final MailedLinks links;
    private final Entrance entrance;

    SignIn(Jdbi jdbi, Passwords passwords, Throttle throttle, Devices devices, Sessions sessions,
            OneTimeTokens tokens, MailedLinks links, Entrance entrance) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.throttle = throttle;
        this.devices = devices;
        this.sessions = sessions;
        this.tokens = tokens;
        this.links = links;
        this.entrance = entrance;
    }

    /** Signs in with a password: entered, refused, or wait first. */
    SignInAttempt withPassword(String email, String password, String deviceCookie, String userAgent,
            String clientAddress) {
        String address = EmailAddresses.normalize(email);
        String byClient = "sign-in:client:" + clientAddress;
        String byAccount = "sign-in:account:" + address;
        boolean knownDevice = devices.known(deviceCookie, address);
        // Counted before the password is hashed, so a burst is refused cheaply; a right password is refunded.
        Checked checked = jdbi.withHandle(handle -> {
            Optional<Duration> wait = knownDevice ? throttle.acquire(handle, byClient, Limits.SIGN_IN_PER_CLIENT)
                    : throttle.acquireBoth(handle, byClient, Limits.SIGN_IN_PER_CLIENT, byAccount,
                            Limits.SIGN_IN_PER_ACCOUNT);
            return new Checked(wait, wait.isPresent() ? Optional.empty()
                    : handle.attach(LearnerDao.class).enabledCredentials(address));
        });
        if (checked.waitFirst().isPresent()) {
            return SignInAttempt.throttled(checked.waitFirst().get());
        }
        Optional<LearnerDao.Credentials> found = checked.credentials();
        boolean matches;
        try {
            matches = found.isPresent() ? passwords.matches(password, found.get().passwordHash()) : wasted(password);
        } catch (PasswordsBusy busy) {
            if (knownDevice) {
                throttle.refund(byClient);
            } else {
                throttle.refund(byClient, byAccount);
            }
            throw busy;
        }
        if (!matches) {
            return SignInAttempt.refused();
        }
        // Settled before anything else can fail: a right password never counts against the account.
        throttle.settle(byClient, byAccount);
        long learner = found.get().id();
        String rehash = passwords.needsRehash(found.get().passwordHash()) ? passwords.hash(password) : null;
        Accounts.Entry entered = jdbi.inTransaction(handle -> {
            if (rehash != null) {
                handle.attach(LearnerDao.class).rehash(learner, rehash);
            }
            return entrance.enter(handle, learner, deviceCookie, userAgent, clientAddress);
        });
        return SignInAttempt.entered(entered);
    }

    /** Mails a sign-in link (or, for an address without an account, a note saying so). */
    Optional<Duration> requestLink(String email, String clientAddress) {
        return links.send(email, clientAddress, LINK);
    }

    boolean linkValid(String token) {
        return links.valid(token, LINK);
    }

    /** Signs in with an emailed link, which also proves the address; empty when the link is no good. */
    Optional<Accounts.Entry> withLink(String token, String deviceCookie, String userAgent, String clientAddress) {
        return jdbi.inTransaction(handle -> tokens.redeem(handle, token, LINK.purpose()).flatMap(redeemed ->
                handle.attach(LearnerDao.class).confirmEnabledEmail(redeemed.learnerId()).map(address ->
                        entrance.enter(handle, redeemed.learnerId(), deviceCookie, userAgent, clientAddress))));
    }

    void signOut(String sessionToken) {
        jdbi.useHandle(handle -> sessions.end(handle, sessionToken));
    }

    /** Ends every session of the learner, this one included, and revokes every device cookie. */
    int signOutEverywhere(long learnerId) {
        return jdbi.inTransaction(handle -> {
            entrance.revokeTrust(handle, learnerId);
            return sessions.endAll(handle, learnerId, null);
        });
    }

    /** Ends the learner's other sessions, keeping the one behind {@code currentToken}. */
    int signOutOthers(long learnerId, String currentToken) {
        byte[] keep = Tokens.plausible(currentToken) ? Tokens.hash(currentToken) : new byte[0];
        return jdbi.withHandle(handle -> sessions.endAll(handle, learnerId, keep));
    }

    /** The limits' answer and, when they let the attempt through, the account's credentials. */
    private record Checked(Optional<Duration> waitFirst, Optional<LearnerDao.Credentials> credentials) {
    }

    /** Hashes like a real check when there is no account, and matches nothing. */
    private boolean wasted(String password) {
        passwords.waste(password);
        return false;
    }
}
