package dev.athanor.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Sign-ins that have passed the first factor (a password, a mailed link, a reset link) and wait for the second: a
 * random token for a short-lived cookie, only its SHA-256 stored, bound to the learner and good for five minutes.
 * No session exists until the code is right.
 */
final class PendingSignIns {

    static final Duration LIFETIME = Duration.ofMinutes(5);

    private final Jdbi jdbi;
    private final Clock clock;

    PendingSignIns(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    String start(Handle handle, long learnerId) {
        String token = Tokens.newToken();
        Instant now = clock.instant();
        handle.attach(PendingSignInDao.class).insert(Tokens.hash(token), learnerId, now, now.plus(LIFETIME));
        return token;
    }

    /** The learner of a live pending sign-in (its account not disabled meanwhile). */
    Optional<Long> learner(String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        return jdbi.withExtension(PendingSignInDao.class, dao -> dao.learner(Tokens.hash(token), clock.instant()));
    }

    /** Ends a pending sign-in as its code is accepted; false when it had expired or another request took it. */
    boolean take(Handle handle, String token) {
        return handle.attach(PendingSignInDao.class).take(Tokens.hash(token), clock.instant());
    }

    int endAll(Handle handle, long learnerId) {
        return handle.attach(PendingSignInDao.class).deleteAll(learnerId);
    }
}
