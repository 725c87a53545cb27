package dev.athanor.accounts;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What the operator does to accounts from the command line ({@code ops users}): create an operator, disable or enable
 * an account, and reset a lost second factor.
 */
final class AccountAdministration {

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final Sessions sessions;
    private final Devices devices;
    private final SecondFactors secondFactors;
    private final PendingSignIns pendingSignIns;

    AccountAdministration(Jdbi jdbi, Passwords passwords, PasswordPolicy policy, Sessions sessions, Devices devices,
            SecondFactors secondFactors, PendingSignIns pendingSignIns) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.policy = policy;
        this.sessions = sessions;
        this.devices = devices;
        this.secondFactors = secondFactors;
        this.pendingSignIns = pendingSignIns;
    }

    /** Creates an operator (or makes an existing account one, with this password), confirmed at once. */
    Optional<Accounts.Problem> createOperator(String email, String password) {
        String address = EmailAddresses.normalize(email);
        if (!EmailAddresses.plausible(address)) {
            return Optional.of(new Accounts.Problem("email", "not an email address: " + email));
        }
        Optional<String> weak = policy.problem(password, address);
        if (weak.isPresent()) {
            return Optional.of(new Accounts.Problem("password", weak.get()));
        }
        String hash = passwords.hash(password);
        jdbi.useExtension(LearnerDao.class, dao -> dao.upsertOperator(address, hash));
        return Optional.empty();
    }

    /** Disables (ending its sessions, revoking its device cookies) or enables an account; false when none. */
    boolean setDisabled(String email, boolean disabled) {
        String address = EmailAddresses.normalize(email);
        return jdbi.inTransaction(handle -> {
            LearnerDao learners = handle.attach(LearnerDao.class);
            Optional<Long> id = disabled ? learners.disable(address) : learners.enable(address);
            if (disabled) {
                id.ifPresent(learner -> {
                    sessions.endAll(handle, learner, null);
                    devices.revokeAll(handle, learner);
                });
            }
            return id.isPresent();
        });
    }

    /** Removes an account's second factors and recovery codes, ends its sessions and pending sign-ins. */
    Optional<Accounts.TwoFactorReset> resetTwoFactor(String email) {
        return jdbi.inTransaction(handle -> handle.attach(LearnerDao.class).idOf(EmailAddresses.normalize(email))
                .map(learner -> {
                    SecondFactors.Removed removed = secondFactors.remove(handle, learner);
                    pendingSignIns.endAll(handle, learner);
                    return new Accounts.TwoFactorReset(removed.factors(), removed.recoveryCodes(),
                            sessions.endAll(handle, learner, null));
                }));
    }
}
