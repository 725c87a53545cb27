package dev.athanor.accounts;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import dev.athanor.mail.Mail;
import dev.athanor.platform.db.LearnerChanges;
import dev.athanor.platform.web.Cookies;
import dev.athanor.platform.web.Viewers;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The accounts context's public face: sign-up and address verification, sign-in by password or by emailed link,
 * password reset, changes of address and password, sessions, and the operator's accounts. Answers that could tell a
 * stranger whether an address has an account (sign-up, reset, sign-in links) are the same either way, in words,
 * status and time: the address gets a message in both cases, and a password is hashed in both cases.
 *
 * <p>The work is done by small classes named for each part ({@link SignUp}, {@link SignIn}, {@link PasswordReset},
 * {@link ChangeOfPassword}, {@link ChangeOfAddress}, {@link TwoFactor}, {@link AccountAdministration}); this class
 * wires them and hands each call on. Other contexts, {@code ops} and the site's wiring use only its public methods
 * and value types; the rest serves this package's pages.
 */
public final class Accounts {

    /** How long a sign-in waits for a free hashing slot before it is answered 503. */
    private static final Duration HASHING_PATIENCE = Duration.ofSeconds(2);

    private final Jdbi jdbi;
    private final Sessions sessions;
    private final Throttle throttle;
    private final TwoFactor twoFactor;
    private final CurrentPassword currentPassword;
    private final SignUp signUp;
    private final SignIn signIn;
    private final PasswordReset passwordReset;
    private final ChangeOfPassword changeOfPassword;
    private final ChangeOfAddress changeOfAddress;
    private final AccountAdministration administration;
    private final Newsletter newsletter;
    private final AccountOverviews overviews;

    public Accounts(Jdbi jdbi, Mail mail, String baseUrl, AccountsFactory settings, byte[] secret, Clock clock,
            MetricRegistry metrics, LearnerChanges changes) {
        this.jdbi = jdbi;
        Passwords passwords = new Passwords(Passwords.Cost.OWASP_MINIMUM, HashingPool.sizedFor(
                Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors(),
                Passwords.Cost.OWASP_MINIMUM.bytes(), HASHING_PATIENCE));
        PasswordPolicy policy = PasswordPolicy.load();
        this.sessions = new Sessions(jdbi, clock, settings.idleTimeout(), settings.absoluteTimeout(), changes);
        OneTimeTokens tokens = new OneTimeTokens(clock);
        this.throttle = new Throttle(jdbi, clock, metrics.timer(MetricRegistry.name(Throttle.class, "calls"),
                () -> new Timer(new SlidingWindowReservoir(256))));
        Devices devices = new Devices(jdbi, clock);
        SecondFactors secondFactors = new SecondFactors(secret, clock);
        PendingSignIns pendingSignIns = new PendingSignIns(jdbi, clock);
        Entrance entrance = new Entrance(sessions, devices, secondFactors, pendingSignIns);
        MailedLinks links = new MailedLinks(jdbi, mail, baseUrl, tokens, throttle);
        this.twoFactor = new TwoFactor(jdbi, secondFactors, pendingSignIns, throttle, entrance::start);
        this.currentPassword = new CurrentPassword(jdbi, passwords);
        this.signUp = new SignUp(jdbi, mail, baseUrl, passwords, policy, tokens, throttle);
        this.signIn = new SignIn(jdbi, passwords, throttle, devices, sessions, tokens, links, entrance);
        this.passwordReset = new PasswordReset(jdbi, passwords, policy, sessions, tokens, links, entrance);
        this.changeOfPassword = new ChangeOfPassword(jdbi, passwords, policy, currentPassword, sessions, entrance);
        this.changeOfAddress = new ChangeOfAddress(jdbi, mail, baseUrl, currentPassword, tokens);
        this.administration = new AccountAdministration(jdbi, passwords, policy, sessions, devices, secondFactors,
                pendingSignIns);
        this.newsletter = new Newsletter(jdbi);
        this.overviews = new AccountOverviews(clock, changes, learner -> account(learner).map(account ->
                new AccountOverviews.Overview(account, sessions.list(learner), newsletter.consents(learner),
                        twoFactor.status(learner, account.operator()))));
    }

    /** A problem with what someone typed, shown next to the form; never tells whether an account exists. */
    public record Problem(String field, String message) {
    }

    /** Where a first factor (a password, a mailed link, a reset) leads: a session, or a second factor to ask for. */
    sealed interface Entry permits SignedIn, CodeNeeded {
    }

    /**
     * A new session: the cookie's token, the learner it belongs to, the browser's new device cookie, and whether the
     * account must enrol a second factor before its role's pages open (an operator without one).
     */
    record SignedIn(String sessionToken, long learnerId, String deviceToken, boolean mustEnrol)
            implements Entry {
    }

    /** The account has a second factor: no session yet, only a pending sign-in (its token for a short cookie). */
    record CodeNeeded(String pendingToken) implements Entry {
    }

    /** The account page's facts. */
    public record Account(long id, String email, boolean verified, boolean operator) {
    }

    /** A learner's stage as a customer, as billing reports it and the newsletter service tags it. */
    public enum Lifecycle {
        SUBSCRIBED("subscribed"), CANCEL_SCHEDULED("cancel-scheduled"), PAYMENT_FAILED("payment-failed"),
        LAPSED("lapsed");

        private final String tag;

        Lifecycle(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** What {@link #resetTwoFactor} removed. */
    public record TwoFactorReset(int factors, int recoveryCodes, int sessions) {
    }

    // ---- sign-up and verification

    /**
     * Signs up {@code email}; the address then gets a confirmation link, or, if it already has an account, a note
     * saying so. The caller shows the same "check your mail" page either way.
     */
    Optional<Problem> signUp(String email, String password, boolean newsletter, String source) {
        return signUp.signUp(email, password, newsletter, source);
    }

    /**
     * Counts a sign-up attempt from a client address for an address; the wait when either has made too many (a
     * sign-up sends mail to the address whether or not it has an account, so it is limited like the mailed links).
     */
    Optional<Duration> throttleSignUp(String clientAddress, String email) {
        return signUp.throttle(clientAddress, email);
    }

    boolean verificationValid(String token) {
        return signUp.linkValid(token);
    }

    /** Confirms an address from its link; false when the link is used, expired or unknown. */
    boolean verify(String token) {
        return signUp.verify(token);
    }

    /** Sends a new confirmation link to a signed-in learner whose address is not confirmed yet. */
    void resendVerification(long learnerId) {
        signUp.resendLink(learnerId);
    }

    // ---- signing in and out

    /**
     * Signs in with a password. Failures are counted per client address and (unless the browser carries a live
     * device cookie of this account, which keeps the owner from being locked out) per account; over the limit the
     * caller gets how long to wait. An account with a second factor gets no session yet, but a pending sign-in.
     */
    SignInAttempt signIn(String email, String password, String deviceCookie, String userAgent,
            String clientAddress) {
        return signIn.withPassword(email, password, deviceCookie, userAgent, clientAddress);
    }

    /** Sends a sign-in link (or, for an address without an account, a note saying so). */
    Optional<Duration> requestSignInLink(String email, String clientAddress) {
        return signIn.requestLink(email, clientAddress);
    }

    boolean signInLinkValid(String token) {
        return signIn.linkValid(token);
    }

    /**
     * Signs in with an emailed link (which also proves the address), or goes on to the second factor; empty when the
     * link is no good.
     */
    Optional<Entry> signInWithLink(String token, String deviceCookie, String userAgent,
            String clientAddress) {
        return signIn.withLink(token, deviceCookie, userAgent, clientAddress);
    }

    void signOut(String sessionToken) {
        signIn.signOut(sessionToken);
    }

    /** Ends every session of the learner, this one included, and revokes every device cookie. */
    int signOutEverywhere(long learnerId) {
        return signIn.signOutEverywhere(learnerId);
    }

    /** Ends the learner's other sessions, keeping the one behind {@code currentToken}. */
    int signOutOthers(long learnerId, String currentToken) {
        return signIn.signOutOthers(learnerId, currentToken);
    }

    // ---- passwords and addresses

    /** Sends a password reset link (or, for an address without an account, a note saying so). */
    Optional<Duration> requestReset(String email, String clientAddress) {
        return passwordReset.request(email, clientAddress);
    }

    boolean resetValid(String token) {
        return passwordReset.linkValid(token);
    }

    /**
     * Sets a new password from a reset link, ends every session and revokes every device cookie, and signs in on
     * this device (after the second factor, when the account has one). A weak password is refused without using the
     * link up.
     */
    ResetOutcome reset(String token, String password, String deviceCookie, String userAgent,
            String clientAddress) {
        return passwordReset.reset(token, password, deviceCookie, userAgent, clientAddress);
    }

    /**
     * Changes a signed-in learner's password: the current one is needed, the session gets a new id, the other
     * sessions end when {@code endOthers}, and every device cookie is revoked (this browser gets a new one). Returns
     * the problem, or the new session.
     */
    PasswordChange changePassword(long learnerId, String currentSessionToken, String current,
            String replacement, boolean endOthers, String deviceCookie, String userAgent, String clientAddress) {
        return changeOfPassword.change(learnerId, currentSessionToken, current, replacement, endOthers, deviceCookie,
                userAgent, clientAddress);
    }

    /** Sends a confirmation link to a new address; the address changes when the link is used. */
    Optional<Problem> requestEmailChange(long learnerId, String password, String newEmail) {
        return changeOfAddress.request(learnerId, password, newEmail);
    }

    boolean emailChangeValid(String token) {
        return changeOfAddress.linkValid(token);
    }

    /** Uses a change-of-address link; false when it is no good or the address has meanwhile been taken. */
    boolean confirmEmailChange(String token) {
        return changeOfAddress.confirm(token);
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
        return twoFactor.disable(learnerId, () -> currentPassword.matches(learnerId, password), code, clientAddress);
    }

    /**
     * Removes an account's second factors and recovery codes and ends its sessions and pending sign-ins (for
     * {@code ops users reset-2fa}, when the authenticator and the codes are lost); empty when there is no such
     * account. The learner signs in with the password alone after this (an operator is then asked to enrol again).
     */
    public Optional<TwoFactorReset> resetTwoFactor(String email) {
        return administration.resetTwoFactor(email);
    }

    // ---- sessions and accounts

    /** The signed-in viewer behind a session cookie, if the session is live. */
    Optional<Sessions.Live> session(String token) {
        return sessions.find(token);
    }

    /** The account page's facts of a learner, with the session of {@code currentToken} marked. */
    Optional<AccountPageFacts> accountPage(long learnerId, String currentToken) {
        byte[] current = Tokens.plausible(currentToken) ? Tokens.hash(currentToken) : new byte[0];
        return overviews.of(learnerId).map(overview -> new AccountPageFacts(overview.account(),
                Sessions.listed(overview.sessions(), current), overview.newsletter(), overview.twoFactor()));
    }

    /** What the account page shows: the account, its sessions (the one asking marked), newsletter, two-factor. */
    record AccountPageFacts(Account account, List<Sessions.Listed> sessions, boolean newsletter,
            TwoFactor.Status twoFactor) {
    }

    public Optional<Account> account(long learnerId) {
        return jdbi.withExtension(LearnerDao.class, dao -> dao.account(learnerId));
    }

    public Optional<Long> learnerId(String email) {
        return jdbi.withExtension(LearnerDao.class, dao -> dao.idOf(EmailAddresses.normalize(email)));
    }

    /** The addresses of the learners among {@code learnerIds} who have an account, by id (billing's members list). */
    public Map<Long, String> emails(Collection<Long> learnerIds) {
        return jdbi.withExtension(LearnerDao.class, dao -> dao.accounts(learnerIds.toArray(Long[]::new))).stream()
                .collect(Collectors.toMap(Account::id, Account::email));
    }

    /**
     * Creates an operator (or makes an existing account one, with this password), confirmed at once: for
     * {@code ops users create-admin}.
     */
    public Optional<Problem> createOperator(String email, String password) {
        return administration.createOperator(email, password);
    }

    /**
     * Disables (or enables again) an account; disabling ends its sessions and revokes its device cookies. False when
     * there is no such account.
     */
    public boolean setDisabled(String email, boolean disabled) {
        return administration.setDisabled(email, disabled);
    }

    /**
     * Deletes what has expired, within {@code handle}'s transaction (the hourly housekeeping): sessions past their
     * timeouts, device cookies past their year, sign-ins that waited too long for their second factor,
     * authenticators not confirmed a day after enrolment began, mailed links used or expired a week ago, and attempts
     * older than any limit counts. Returns how many rows went; the deletes are idempotent, so several nodes may run
     * them at once.
     */
    public int forgetExpired(Handle handle) {
        return sessions.forgetExpired(handle) + handle.attach(DeviceDao.class).deleteExpired()
                + handle.attach(PendingSignInDao.class).deleteExpired()
                + handle.attach(SecondFactorDao.class).deleteAbandonedEnrolments()
                + handle.attach(OneTimeTokenDao.class).deleteExpired() + throttle.expire(handle);
    }

    // ---- what the site runs and other contexts call

    /** Who makes each request, from its session cookie: the accounts context's answer to {@link Viewers}. */
    public Viewers viewers(Cookies cookies) {
        return new AccountViewers(this, cookies);
    }

    /** The background job passing newsletter consent and lifecycle stages on to ConvertKit (once configured). */
    public Managed newsletterSync(NewsletterFactory settings, MetricRegistry metrics) {
        return new NewsletterSync(jdbi, settings, metrics);
    }

    /** Consent to the newsletter, for the account page. */
    Newsletter newsletter() {
        return newsletter;
    }

    /**
     * Records a learner's stage as a customer within the caller's transaction (billing's, as a subscription changes),
     * for the next newsletter sync.
     */
    public static void recordLifecycle(Handle handle, long learnerId, Lifecycle stage) {
        Newsletter.lifecycle(handle, learnerId, stage);
    }
}
