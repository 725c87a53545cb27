package dev.athanor.accounts;

import dev.athanor.mail.Mail;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The accounts context's public face: sign-up and address verification, sign-in by password or by emailed link,
 * password reset, changes of address and password, sessions, and the operator's accounts. Answers that could tell a
 * stranger whether an address has an account (sign-up, reset, sign-in links) are the same either way, in words,
 * status and time: the address gets a message in both cases, and a password is hashed in both cases.
 */
public final class Accounts {

    static final Duration VERIFY_LIFETIME = Duration.ofDays(3);
    static final Duration RESET_LIFETIME = Duration.ofHours(1);
    static final Duration LOGIN_LIFETIME = Duration.ofMinutes(15);
    static final Duration CHANGE_LIFETIME = Duration.ofHours(1);
    /** How long a sign-in waits for a free hashing slot before it is answered 503. */
    private static final Duration HASHING_PATIENCE = Duration.ofSeconds(2);
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");

    private final Jdbi jdbi;
    private final Mail mail;
    private final String baseUrl;
    private final Passwords passwords;
    private final PasswordPolicy policy = PasswordPolicy.load();
    private final Sessions sessions;
    private final OneTimeTokens tokens;
    private final Throttle throttle;
    private final Devices devices;
    private final SecondFactors secondFactors;
    private final PendingSignIns pendingSignIns;
    private final TwoFactor twoFactor;

    public Accounts(Jdbi jdbi, Mail mail, String baseUrl, AccountsFactory settings, byte[] secret, Clock clock) {
        this.jdbi = jdbi;
        this.mail = mail;
        this.baseUrl = baseUrl;
        this.passwords = new Passwords(Passwords.Cost.OWASP_MINIMUM, HashingPool.sizedFor(
                Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors(),
                Passwords.Cost.OWASP_MINIMUM.bytes(), HASHING_PATIENCE));
        this.sessions = new Sessions(jdbi, clock, settings.idleTimeout(), settings.absoluteTimeout());
        this.tokens = new OneTimeTokens(clock);
        this.throttle = new Throttle(clock);
        this.devices = new Devices(jdbi, clock);
        this.secondFactors = new SecondFactors(secret, clock);
        this.pendingSignIns = new PendingSignIns(jdbi, clock);
        this.twoFactor = new TwoFactor(jdbi, secondFactors, pendingSignIns, throttle, this::start);
    }

    /** A problem with what someone typed, shown next to the form; never tells whether an account exists. */
    public record Problem(String field, String message) {
    }

    /** Where a first factor (a password, a mailed link, a reset) leads: a session, or a second factor to ask for. */
    public sealed interface Entry permits SignedIn, CodeNeeded {
    }

    /**
     * A new session: the cookie's token, the learner it belongs to, the browser's new device cookie, and whether the
     * account must enrol a second factor before its role's pages open (an operator without one).
     */
    public record SignedIn(String sessionToken, long learnerId, String deviceToken, boolean mustEnrol)
            implements Entry {
    }

    /** The account has a second factor: no session yet, only a pending sign-in (its token for a short cookie). */
    public record CodeNeeded(String pendingToken) implements Entry {
    }

    /** The account page's facts. */
    public record Account(long id, String email, boolean verified, boolean operator) {
    }

    // ---- sign-up and verification

    /**
     * Signs up {@code email}; the address then gets a confirmation link, or, if it already has an account, a note
     * saying so. The caller shows the same "check your mail" page either way.
     */
    public Optional<Problem> signUp(String email, String password, boolean newsletter, String source) {
        String address = normalize(email);
        if (!EMAIL.matcher(address).matches()) {
            return Optional.of(new Problem("email", "Enter an email address such as name@example.com."));
        }
        Optional<String> weak = policy.problem(password, address);
        if (weak.isPresent()) {
            return Optional.of(new Problem("password", weak.get()));
        }
        String hash = passwords.hash(password);
        jdbi.useTransaction(handle -> {
            Optional<Long> created = handle.createQuery("""
                    INSERT INTO learner (email, password_hash, password_changed_at) VALUES (:email, :hash, now())
                    ON CONFLICT (email) DO NOTHING RETURNING id""")
                    .bind("email", address).bind("hash", hash).mapTo(Long.class).findOne();
            if (created.isEmpty()) {
                mail.queue(handle, address, "already-registered", Map.of("email", address));
                return;
            }
            if (newsletter) {
                Newsletter.consent(handle, created.get(), true, source);
            }
            String token = tokens.issue(handle, created.get(), "verify", VERIFY_LIFETIME, null);
            mail.queue(handle, address, "verify", Map.of("email", address, "link", baseUrl + "/verify/" + token,
                    "hours", VERIFY_LIFETIME.toHours()));
        });
        return Optional.empty();
    }

    public boolean verificationValid(String token) {
        return jdbi.withHandle(handle -> tokens.valid(handle, token, "verify"));
    }

    /** Confirms an address from its link; false when the link is used, expired or unknown. */
    public boolean verify(String token) {
        return jdbi.inTransaction(handle -> tokens.redeem(handle, token, "verify").map(redeemed -> {
            String email = handle.createQuery("UPDATE learner SET email_verified_at = coalesce(email_verified_at,"
                    + " now()) WHERE id = :id RETURNING email").bind("id", redeemed.learnerId())
                    .mapTo(String.class).one();
            mail.queue(handle, email, "welcome", Map.of());
            return true;
        }).orElse(false));
    }

    /** Sends a new confirmation link to a signed-in learner whose address is not confirmed yet. */
    public void resendVerification(long learnerId) {
        jdbi.useTransaction(handle -> {
            String email = handle.createQuery("SELECT email FROM learner WHERE id = :id AND email_verified_at IS NULL")
                    .bind("id", learnerId).mapTo(String.class).findOne().orElse(null);
            if (email != null) {
                String token = tokens.issue(handle, learnerId, "verify", VERIFY_LIFETIME, null);
                mail.queue(handle, email, "verify", Map.of("email", email, "link", baseUrl + "/verify/" + token,
                        "hours", VERIFY_LIFETIME.toHours()));
            }
        });
    }

    // ---- signing in and out

    /**
     * Signs in with a password. Failures are counted per client address and (unless the browser carries a live
     * device cookie of this account, which keeps the owner from being locked out) per account; over the limit the
     * caller gets how long to wait. An account with a second factor gets no session yet, but a pending sign-in.
     */
    public SignInAttempt signIn(String email, String password, String deviceCookie, String userAgent,
            String clientAddress) {
        String address = normalize(email);
        String byClient = "sign-in:client:" + clientAddress;
        String byAccount = "sign-in:account:" + address;
        boolean knownDevice = devices.known(deviceCookie, address);
        // Counted before the password is hashed, so a burst is refused cheaply; a right password is refunded.
        Optional<Duration> wait = throttle.acquire(byClient, Limits.SIGN_IN_PER_CLIENT);
        if (wait.isEmpty() && !knownDevice) {
            wait = throttle.acquire(byAccount, Limits.SIGN_IN_PER_ACCOUNT);
            wait.ifPresent(ignored -> throttle.refund(byClient));
        }
        if (wait.isPresent()) {
            return SignInAttempt.throttled(wait.get());
        }
        Optional<Credentials> found = jdbi.withHandle(handle -> handle.createQuery("""
                SELECT id, password_hash FROM learner WHERE email = :email AND disabled_at IS NULL""")
                .bind("email", address).map((rs, ctx) -> new Credentials(rs.getLong(1), rs.getString(2)))
                .findOne());
        boolean matches;
        try {
            matches = found.isPresent() ? passwords.matches(password, found.get().hash()) : wasted(password);
        } catch (PasswordsBusy busy) {
            throttle.refund(byClient);
            if (!knownDevice) {
                throttle.refund(byAccount);
            }
            throw busy;
        }
        if (!matches) {
            return SignInAttempt.refused();
        }
        throttle.refund(byClient);
        long learner = found.get().id();
        String rehash = passwords.needsRehash(found.get().hash()) ? passwords.hash(password) : null;
        Entry entered = jdbi.inTransaction(handle -> {
            if (rehash != null) {
                handle.createUpdate("UPDATE learner SET password_hash = :hash WHERE id = :id").bind("hash", rehash)
                        .bind("id", learner).execute();
            }
            return enter(handle, learner, deviceCookie, userAgent, clientAddress);
        });
        throttle.forget(byAccount);
        return SignInAttempt.entered(entered);
    }

    /** Sends a sign-in link (or, for an address without an account, a note saying so). */
    public Optional<Duration> requestSignInLink(String email, String clientAddress) {
        return mailedLink(email, clientAddress, "login", LOGIN_LIFETIME, "login-link", "/login/link/",
                Map.of("minutes", LOGIN_LIFETIME.toMinutes()), "sign-in link");
    }

    public boolean signInLinkValid(String token) {
        return jdbi.withHandle(handle -> tokens.valid(handle, token, "login"));
    }

    /**
     * Signs in with an emailed link (which also proves the address), or goes on to the second factor; empty when the
     * link is no good.
     */
    public Optional<Entry> signInWithLink(String token, String deviceCookie, String userAgent,
            String clientAddress) {
        return jdbi.inTransaction(handle -> tokens.redeem(handle, token, "login").flatMap(redeemed -> {
            Optional<String> email = handle.createQuery("UPDATE learner SET email_verified_at = coalesce("
                    + "email_verified_at, now()) WHERE id = :id AND disabled_at IS NULL RETURNING email")
                    .bind("id", redeemed.learnerId()).mapTo(String.class).findOne();
            return email.map(address -> enter(handle, redeemed.learnerId(), deviceCookie, userAgent,
                    clientAddress));
        }));
    }

    public void signOut(String sessionToken) {
        jdbi.useHandle(handle -> sessions.end(handle, sessionToken));
    }

    /** Ends every session of the learner, this one included, and revokes every device cookie. */
    public int signOutEverywhere(long learnerId) {
        return jdbi.inTransaction(handle -> {
            devices.revokeAll(handle, learnerId);
            pendingSignIns.endAll(handle, learnerId);
            return sessions.endAll(handle, learnerId, null);
        });
    }

    /** Ends the learner's other sessions, keeping the one behind {@code currentToken}. */
    public int signOutOthers(long learnerId, String currentToken) {
        byte[] keep = Tokens.plausible(currentToken) ? Tokens.hash(currentToken) : new byte[0];
        return jdbi.withHandle(handle -> sessions.endAll(handle, learnerId, keep));
    }

    // ---- passwords and addresses

    /** Sends a password reset link (or, for an address without an account, a note saying so). */
    public Optional<Duration> requestReset(String email, String clientAddress) {
        return mailedLink(email, clientAddress, "reset", RESET_LIFETIME, "reset", "/reset/", Map.of(),
                "password reset");
    }

    public boolean resetValid(String token) {
        return jdbi.withHandle(handle -> tokens.valid(handle, token, "reset"));
    }

    /**
     * Sets a new password from a reset link, ends every session and revokes every device cookie, and signs in on
     * this device (after the second factor, when the account has one). A weak password is refused without using the
     * link up.
     */
    public ResetOutcome reset(String token, String password, String deviceCookie, String userAgent,
            String clientAddress) {
        return jdbi.inTransaction(handle -> {
            if (!tokens.valid(handle, token, "reset")) {
                return ResetOutcome.invalidLink();
            }
            long learner = handle.createQuery("SELECT learner_id FROM one_time_token WHERE token_hash = :hash")
                    .bind("hash", Tokens.hash(token)).mapTo(Long.class).one();
            String email = handle.createQuery("SELECT email FROM learner WHERE id = :id").bind("id", learner)
                    .mapTo(String.class).one();
            Optional<String> weak = policy.problem(password, email);
            if (weak.isPresent()) {
                return ResetOutcome.weak(weak.get());
            }
            tokens.redeem(handle, token, "reset").orElseThrow();
            handle.createUpdate("UPDATE learner SET password_hash = :hash, password_changed_at = now(),"
                    + " email_verified_at = coalesce(email_verified_at, now()) WHERE id = :id")
                    .bind("hash", passwords.hash(password)).bind("id", learner).execute();
            sessions.endAll(handle, learner, null);
            devices.revokeAll(handle, learner);
            pendingSignIns.endAll(handle, learner);
            return ResetOutcome.done(enter(handle, learner, deviceCookie, userAgent, clientAddress));
        });
    }

    /**
     * Changes a signed-in learner's password: the current one is needed, the session gets a new id, the other
     * sessions end when {@code endOthers}, and every device cookie is revoked (this browser gets a new one). Returns
     * the problem, or the new session.
     */
    public PasswordChange changePassword(long learnerId, String currentSessionToken, String current,
            String replacement, boolean endOthers, String deviceCookie, String userAgent, String clientAddress) {
        Optional<Credentials> found = credentials(learnerId);
        if (found.isEmpty() || !passwords.matches(current, found.get().hash())) {
            return PasswordChange.problem(new Problem("current", "That is not your current password."));
        }
        String email = account(learnerId).orElseThrow().email();
        Optional<String> weak = policy.problem(replacement, email);
        if (weak.isPresent()) {
            return PasswordChange.problem(new Problem("password", weak.get()));
        }
        String hash = passwords.hash(replacement);
        SignedIn signedIn = jdbi.inTransaction(handle -> {
            handle.createUpdate("UPDATE learner SET password_hash = :hash, password_changed_at = now()"
                    + " WHERE id = :id").bind("hash", hash).bind("id", learnerId).execute();
            sessions.end(handle, currentSessionToken);
            if (endOthers) {
                sessions.endAll(handle, learnerId, null);
            }
            devices.revokeAll(handle, learnerId);
            pendingSignIns.endAll(handle, learnerId);
            return start(handle, learnerId, deviceCookie, userAgent, clientAddress);
        });
        return PasswordChange.changed(signedIn);
    }

    /** Sends a confirmation link to a new address; the address changes when the link is used. */
    public Optional<Problem> requestEmailChange(long learnerId, String password, String newEmail) {
        String address = normalize(newEmail);
        if (!EMAIL.matcher(address).matches()) {
            return Optional.of(new Problem("email", "Enter an email address such as name@example.com."));
        }
        Optional<Credentials> found = credentials(learnerId);
        if (found.isEmpty() || !passwords.matches(password, found.get().hash())) {
            return Optional.of(new Problem("current", "That is not your current password."));
        }
        jdbi.useTransaction(handle -> {
            String token = tokens.issue(handle, learnerId, "change-email", CHANGE_LIFETIME, address);
            mail.queue(handle, address, "change-email", Map.of("email", address,
                    "link", baseUrl + "/account/email/" + token));
        });
        return Optional.empty();
    }

    public boolean emailChangeValid(String token) {
        return jdbi.withHandle(handle -> tokens.valid(handle, token, "change-email"));
    }

    /** Uses a change-of-address link; false when it is no good or the address has meanwhile been taken. */
    public boolean confirmEmailChange(String token) {
        return jdbi.inTransaction(handle -> tokens.redeem(handle, token, "change-email").map(redeemed -> {
            boolean taken = handle.createQuery("SELECT EXISTS (SELECT 1 FROM learner WHERE email = :email)")
                    .bind("email", redeemed.newEmail()).mapTo(Boolean.class).one();
            if (taken) {
                return false;
            }
            handle.createUpdate("UPDATE learner SET email = :email, email_verified_at = now() WHERE id = :id")
                    .bind("email", redeemed.newEmail()).bind("id", redeemed.learnerId()).execute();
            return true;
        }).orElse(false));
    }

    // ---- two-factor sign-in

    /** The code step of sign-in and the account page's two-factor settings. */
    TwoFactor twoFactor() {
        return twoFactor;
    }

    TwoFactor.Status twoFactorStatus(long learnerId) {
        return twoFactor.status(learnerId, account(learnerId).map(Account::operator).orElse(false));
    }

    /** Turns two-factor sign-in off, for the password and a code from the authenticator. */
    CodeCheck<Boolean> disableTwoFactor(long learnerId, String password, String code, String clientAddress) {
        return twoFactor.disable(learnerId, () -> credentials(learnerId)
                .map(found -> passwords.matches(password, found.hash())).orElse(false), code, clientAddress);
    }

    /** What {@link #resetTwoFactor} removed. */
    public record TwoFactorReset(int factors, int recoveryCodes, int sessions) {
    }

    /**
     * Removes an account's second factors and recovery codes and ends its sessions and pending sign-ins (for
     * {@code ops users reset-2fa}, when the authenticator and the codes are lost); empty when there is no such
     * account. The learner signs in with the password alone after this (an operator is then asked to enrol again).
     */
    public Optional<TwoFactorReset> resetTwoFactor(String email) {
        return jdbi.inTransaction(handle -> handle.createQuery("SELECT id FROM learner WHERE email = :email")
                .bind("email", normalize(email)).mapTo(Long.class).findOne().map(learner -> {
                    SecondFactors.Removed removed = secondFactors.remove(handle, learner);
                    pendingSignIns.endAll(handle, learner);
                    return new TwoFactorReset(removed.factors(), removed.recoveryCodes(),
                            sessions.endAll(handle, learner, null));
                }));
    }

    // ---- sessions and accounts

    /** The signed-in viewer behind a session cookie, if the session is live. */
    Optional<Sessions.Live> session(String token) {
        return sessions.find(token);
    }

    List<Sessions.Listed> sessions(long learnerId, String currentToken) {
        return sessions.list(learnerId, Tokens.plausible(currentToken) ? Tokens.hash(currentToken) : new byte[0]);
    }

    public Optional<Account> account(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT id, email, email_verified_at IS NOT NULL, role = 'operator' FROM learner WHERE id = :id""")
                .bind("id", learnerId).map((rs, ctx) -> new Account(rs.getLong(1), rs.getString(2),
                        rs.getBoolean(3), rs.getBoolean(4))).findOne());
    }

    public Optional<Long> learnerId(String email) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM learner WHERE email = :email")
                .bind("email", normalize(email)).mapTo(Long.class).findOne());
    }

    /** The addresses of the learners among {@code learnerIds} who have an account, by id (billing's members list). */
    public Map<Long, String> emails(java.util.Collection<Long> learnerIds) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id, email FROM learner WHERE id = ANY(:ids)")
                .bind("ids", learnerIds.toArray(Long[]::new))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * Creates an operator (or makes an existing account one, with this password), confirmed at once: for
     * {@code ops users create-admin}.
     */
    public Optional<Problem> createOperator(String email, String password) {
        String address = normalize(email);
        if (!EMAIL.matcher(address).matches()) {
            return Optional.of(new Problem("email", "not an email address: " + email));
        }
        Optional<String> weak = policy.problem(password, address);
        if (weak.isPresent()) {
            return Optional.of(new Problem("password", weak.get()));
        }
        String hash = passwords.hash(password);
        jdbi.useHandle(handle -> handle.createUpdate("""
                INSERT INTO learner (email, password_hash, password_changed_at, email_verified_at, role)
                VALUES (:email, :hash, now(), now(), 'operator')
                ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'operator',
                    password_changed_at = now(), email_verified_at = coalesce(learner.email_verified_at, now()),
                    disabled_at = NULL""").bind("email", address).bind("hash", hash).execute());
        return Optional.empty();
    }

    /**
     * Disables (or enables again) an account; disabling ends its sessions and revokes its device cookies. False when
     * there is no such account.
     */
    public boolean setDisabled(String email, boolean disabled) {
        return jdbi.inTransaction(handle -> {
            Optional<Long> id = handle.createQuery("UPDATE learner SET disabled_at = "
                    + (disabled ? "coalesce(disabled_at, now())" : "NULL") + " WHERE email = :email RETURNING id")
                    .bind("email", normalize(email)).mapTo(Long.class).findOne();
            if (disabled) {
                id.ifPresent(learner -> {
                    sessions.endAll(handle, learner, null);
                    devices.revokeAll(handle, learner);
                });
            }
            return id.isPresent();
        });
    }

    private Optional<Duration> mailedLink(String email, String clientAddress, String purpose, Duration lifetime,
            String template, String path, Map<String, ?> model, String what) {
        String address = normalize(email);
        Optional<Duration> wait = throttleMail(purpose, clientAddress, address);
        if (wait.isPresent() || !EMAIL.matcher(address).matches()) {
            return wait;
        }
        jdbi.useTransaction(handle -> {
            Optional<Long> learner = handle.createQuery("SELECT id FROM learner WHERE email = :email"
                    + " AND disabled_at IS NULL").bind("email", address).mapTo(Long.class).findOne();
            if (learner.isEmpty()) {
                mail.queue(handle, address, "no-account", Map.of("email", address, "what", what));
                return;
            }
            String token = tokens.issue(handle, learner.get(), purpose, lifetime, null);
            Map<String, Object> values = new java.util.HashMap<>(model);
            values.put("link", baseUrl + path + token);
            mail.queue(handle, address, template, values);
        });
        return Optional.empty();
    }

    /**
     * Counts a sign-up attempt from a client address for an address; the wait when either has made too many (a
     * sign-up sends mail to the address whether or not it has an account, so it is limited like the mailed links).
     */
    public Optional<Duration> throttleSignUp(String clientAddress, String email) {
        return acquireBoth("sign-up:client:" + clientAddress, Limits.SIGN_UPS_PER_CLIENT, "mail:" + normalize(email),
                Limits.MAILS_PER_ADDRESS);
    }

    /**
     * Links by mail are limited per client address and per recipient address (whether or not it has an account, so
     * the limit tells nothing), which keeps the site from being used to flood someone's inbox.
     */
    private Optional<Duration> throttleMail(String purpose, String clientAddress, String address) {
        return acquireBoth(purpose + ":client:" + clientAddress, Limits.MAILED_LINKS_PER_CLIENT, "mail:" + address,
                Limits.MAILS_PER_ADDRESS);
    }

    /** Counts an attempt against two limits, or against neither when either is reached (then the wait). */
    private Optional<Duration> acquireBoth(String first, Throttle.Limit firstLimit, String second,
            Throttle.Limit secondLimit) {
        Optional<Duration> wait = throttle.acquire(first, firstLimit);
        if (wait.isEmpty()) {
            wait = throttle.acquire(second, secondLimit);
            wait.ifPresent(ignored -> throttle.refund(first));
        }
        return wait;
    }

    private Optional<Credentials> credentials(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id, password_hash FROM learner WHERE id = :id")
                .bind("id", learnerId).map((rs, ctx) -> new Credentials(rs.getLong(1), rs.getString(2)))
                .findOne());
    }

    /** After a first factor: a pending sign-in when the account has a second factor, a session otherwise. */
    private Entry enter(Handle handle, long learnerId, String deviceCookie, String userAgent, String clientAddress) {
        if (secondFactors.enabled(handle, learnerId)) {
            return new CodeNeeded(pendingSignIns.start(handle, learnerId));
        }
        return start(handle, learnerId, deviceCookie, userAgent, clientAddress);
    }

    /** Starts a session for {@code learnerId}, with a new device cookie for this browser. */
    private SignedIn start(Handle handle, long learnerId, String deviceCookie, String userAgent,
            String clientAddress) {
        String session = sessions.start(handle, learnerId, userAgent, clientAddress);
        boolean mustEnrol = handle.createQuery("SELECT role = 'operator' FROM learner WHERE id = :id")
                .bind("id", learnerId).mapTo(Boolean.class).one() && !secondFactors.enabled(handle, learnerId);
        return new SignedIn(session, learnerId, devices.issue(handle, learnerId, deviceCookie), mustEnrol);
    }

    /** Hashes like a real check when there is no account, and matches nothing. */
    private boolean wasted(String password) {
        passwords.waste(password);
        return false;
    }

    static String normalize(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    private record Credentials(long id, String hash) {
    }
}
