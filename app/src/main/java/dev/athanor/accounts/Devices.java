package dev.athanor.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The "signed in here before" cookies: a random value per successful sign-in, of which only the SHA-256 is stored,
 * tied to the learner. A browser holding a live one for an account is not held back by that account's lockout
 * (so an attacker guessing passwords cannot lock the owner out); it lifts nothing for another account, and a
 * password change or reset, signing out everywhere and disabling the account revoke every one of them.
 * They live a year (as the cookie does), longer than a session: they outlast sign-outs on purpose.
 */
final class Devices {

    /** How long a device cookie (and its row) lives. */
    static final Duration LIFETIME = Duration.ofDays(365);

    private final Jdbi jdbi;
    private final Clock clock;

    Devices(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Whether {@code cookie} is a live device cookie of the account with {@code email}. */
    boolean known(String cookie, String email) {
        if (!Tokens.plausible(cookie)) {
            return false;
        }
        return jdbi.withExtension(DeviceDao.class, dao -> dao.liveFor(Tokens.hash(cookie), email, clock.instant()));
    }

    /**
     * A new device cookie for {@code learnerId}; the one the browser held until now ({@code replaced}, if any) is
     * deleted, since the new cookie overwrites it.
     */
    String issue(Handle handle, long learnerId, String replaced) {
        DeviceDao dao = handle.attach(DeviceDao.class);
        if (Tokens.plausible(replaced)) {
            dao.delete(Tokens.hash(replaced));
        }
        String token = Tokens.newToken();
        Instant now = clock.instant();
        dao.insert(Tokens.hash(token), learnerId, now, now.plus(LIFETIME));
        return token;
    }

    /** Revokes every device cookie of {@code learnerId}. */
    int revokeAll(Handle handle, long learnerId) {
        return handle.attach(DeviceDao.class).deleteAll(learnerId);
    }
}
