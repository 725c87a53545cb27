package dev.athanor.accounts;

import org.jdbi.v3.core.Handle;

/**
 * What follows a first factor (a password, a mailed link, a reset link): a pending sign-in when the account has a
 * second factor, a session otherwise; and what a browser keeps short of a session (its device cookie, a pending
 * sign-in), revoked when the password changes or the learner signs out everywhere.
 */
final class Entrance {

    private final Sessions sessions;
    private final Devices devices;
    private final SecondFactors secondFactors;
    private final PendingSignIns pendingSignIns;

    Entrance(Sessions sessions, Devices devices, SecondFactors secondFactors, PendingSignIns pendingSignIns) {
        this.sessions = sessions;
        this.devices = devices;
        this.secondFactors = secondFactors;
        this.pendingSignIns = pendingSignIns;
    }

    /** After a first factor: a pending sign-in when the account has a second factor, a session otherwise. */
    Accounts.Entry enter(Handle handle, long learnerId, String deviceCookie, String userAgent, String clientAddress) {
        if (secondFactors.enabled(handle, learnerId)) {
            return new Accounts.CodeNeeded(pendingSignIns.start(handle, learnerId));
        }
        return start(handle, learnerId, deviceCookie, userAgent, clientAddress);
    }

    /**
     * Starts a session for {@code learnerId}, with a new device cookie for this browser; an operator without a second
     * factor must enrol one before the operator pages open.
     */
    Accounts.SignedIn start(Handle handle, long learnerId, String deviceCookie, String userAgent,
            String clientAddress) {
        String session = sessions.start(handle, learnerId, userAgent, clientAddress);
        boolean mustEnrol = handle.attach(LearnerDao.class).operator(learnerId)
                && !secondFactors.enabled(handle, learnerId);
        return new Accounts.SignedIn(session, learnerId, devices.issue(handle, learnerId, deviceCookie), mustEnrol);
    }

    /** Revokes every device cookie and every pending sign-in of {@code learnerId}. */
    void revokeTrust(Handle handle, long learnerId) {
        devices.revokeAll(handle, learnerId);
        pendingSignIns.endAll(handle, learnerId);
    }
}
