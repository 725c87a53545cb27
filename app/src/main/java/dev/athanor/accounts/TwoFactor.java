package dev.athanor.accounts;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Two-factor sign-in as the accounts pages use it: the code step of a sign-in, and enrolling, renewing recovery
 * codes and turning it off from the account page. Every code typed is counted before it is checked, per account and
 * per client address (as wrong passwords are), so guessing stops after a few tries whatever the browser.
 */
final class TwoFactor {

    /** Starts a session (with a new device cookie) once the second factor is through. */
    interface Entrance {
        Accounts.SignedIn start(Handle handle, long learnerId, String deviceCookie, String userAgent,
                String clientAddress);
    }

    /** The account page's facts: whether it is on, the recovery codes left, and whether the account needs it. */
    record Status(boolean enabled, int recoveryCodesLeft, boolean required) {
    }

    private final Jdbi jdbi;
    private final SecondFactors factors;
    private final PendingSignIns pending;
    private final Throttle throttle;
    private final Entrance entrance;

    TwoFactor(Jdbi jdbi, SecondFactors factors, PendingSignIns pending, Throttle throttle, Entrance entrance) {
        this.jdbi = jdbi;
        this.factors = factors;
        this.pending = pending;
        this.throttle = throttle;
        this.entrance = entrance;
    }

    /** Whether {@code token} is a live pending sign-in (for the page that asks for the code). */
    boolean pending(String token) {
        return pending.learner(token).isPresent();
    }

    /**
     * The code step of a sign-in: the session when the code is right (the pending sign-in is then used up; a code
     * right for a pending sign-in another request has just used counts as refused).
     */
    CodeCheck<Accounts.SignedIn> signIn(String pendingToken, String code, String deviceCookie, String userAgent,
            String clientAddress) {
        Optional<Long> learner = pending.learner(pendingToken);
        if (learner.isEmpty()) {
            return CodeCheck.expiredSignIn();
        }
        long learnerId = learner.get();
        return counted(learnerId, clientAddress, () -> jdbi.inTransaction(handle ->
                factors.verify(handle, learnerId, code) && pending.take(handle, pendingToken)
                        ? Optional.of(entrance.start(handle, learnerId, deviceCookie, userAgent, clientAddress))
                        : Optional.empty()));
    }

    Status status(long learnerId, boolean required) {
        return jdbi.withHandle(handle -> new Status(factors.enabled(handle, learnerId),
                factors.recoveryCodesLeft(handle, learnerId), required));
    }

    Optional<SecondFactors.Enrolment> enrolment(long learnerId, String email, String issuer) {
        return jdbi.withHandle(handle -> factors.pendingEnrolment(handle, learnerId, email, issuer));
    }

    /** A new secret to enrol; empty when an authenticator is on already. */
    Optional<SecondFactors.Enrolment> startEnrolment(long learnerId, String email, String issuer) {
        return jdbi.inTransaction(handle -> factors.startEnrolment(handle, learnerId, email, issuer));
    }

    /** Turns two-factor sign-in on with the authenticator's first code; the recovery codes, to be shown once. */
    CodeCheck<List<String>> confirmEnrolment(long learnerId, String code, String clientAddress) {
        return counted(learnerId, clientAddress, () -> jdbi.inTransaction(
                handle -> factors.confirmEnrolment(handle, learnerId, code)));
    }

    /** New recovery codes (the old ones stop working) for a code from the authenticator. */
    CodeCheck<List<String>> newRecoveryCodes(long learnerId, String code, String clientAddress) {
        return counted(learnerId, clientAddress, () -> jdbi.inTransaction(handle -> factors.verifyAuthenticator(
                handle, learnerId, code) ? Optional.of(factors.newRecoveryCodes(handle, learnerId))
                : Optional.empty()));
    }

    /** Turns two-factor sign-in off, for the password and a code from the authenticator. */
    CodeCheck<Boolean> disable(long learnerId, BooleanSupplier passwordMatches, String code, String clientAddress) {
        return counted(learnerId, clientAddress, () -> jdbi.inTransaction(handle -> {
            if (!passwordMatches.getAsBoolean() || !factors.verifyAuthenticator(handle, learnerId, code)) {
                return Optional.empty();
            }
            factors.remove(handle, learnerId);
            return Optional.of(true);
        }));
    }

    /** Runs {@code check} unless the account or the address has tried too many codes; counts the try first. */
    private <T> CodeCheck<T> counted(long learnerId, String clientAddress,
            java.util.function.Supplier<Optional<T>> check) {
        String byAccount = "code:account:" + learnerId;
        String byClient = "code:client:" + clientAddress;
        Optional<Duration> wait = throttle.acquireBoth(byClient, Limits.CODES_PER_CLIENT, byAccount,
                Limits.CODES_PER_ACCOUNT);
        if (wait.isPresent()) {
            return CodeCheck.throttled(wait.get());
        }
        Optional<T> result = check.get();
        if (result.isEmpty()) {
            return CodeCheck.refused();
        }
        throttle.forget(byAccount);
        return CodeCheck.accepted(result.get());
    }
}
