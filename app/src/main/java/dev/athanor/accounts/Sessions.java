package dev.athanor.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Sessions kept in PostgreSQL, so every node knows every session. A session ends when unused for the idle timeout,
 * at its absolute timeout, at sign-out, when its account is disabled, or when its learner signs out everywhere.
 */
final class Sessions {

    /**
     * A live session as a request sees it; {@code operator} only for an operator account with a confirmed second
     * factor, so the operator pages stay shut until one is enrolled.
     */
    record Live(byte[] idHash, long learnerId, String email, boolean verified, boolean operator) {
    }

    /** A session as the account page lists it. */
    public record Listed(String createdAt, String lastSeenAt, String userAgent, String address, boolean current) {
    }

    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    Sessions(Jdbi jdbi, Clock clock, Duration idle, Duration absolute) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** Starts a session for {@code learnerId} and returns the token for its cookie. */
    String start(Handle handle, long learnerId, String userAgent, String address) {
        String token = Tokens.newToken();
        Instant now = clock.instant();
        handle.attach(SessionDao.class).insert(Tokens.hash(token), learnerId, now, now.plus(absolute),
                truncate(userAgent, 300), truncate(address, 64));
        return token;
    }

    /** The live session behind a cookie's token, if any; touches it (at most once a minute). */
    Optional<Live> find(String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            SessionDao dao = handle.attach(SessionDao.class);
            Optional<SessionDao.LiveRow> live = dao.live(Tokens.hash(token), now, now.minus(idle));
            live.filter(row -> row.lastSeenAt().plus(TOUCH_EVERY).isBefore(now))
                    .ifPresent(row -> dao.touch(row.idHash(), now));
            return live.map(row -> new Live(row.idHash(), row.learnerId(), row.email(), row.verified(),
                    row.operator()));
        });
    }

    void end(Handle handle, String token) {
        if (Tokens.plausible(token)) {
            handle.attach(SessionDao.class).delete(Tokens.hash(token));
        }
    }

    /** Ends every session of {@code learnerId} except the one with {@code keep} (none when null). */
    int endAll(Handle handle, long learnerId, byte[] keep) {
        SessionDao dao = handle.attach(SessionDao.class);
        return keep == null ? dao.deleteAll(learnerId) : dao.deleteAllBut(learnerId, keep);
    }

    /** Forgets sessions past their absolute timeout or idle too long. */
    int forgetExpired(Handle handle) {
        return handle.attach(SessionDao.class).deleteExpired(idle.toSeconds());
    }

    List<Listed> list(long learnerId, byte[] current) {
        return jdbi.withExtension(SessionDao.class, dao -> dao.list(learnerId, current));
    }

    private static String truncate(String text, int length) {
        String value = text == null ? "" : text;
        return value.length() <= length ? value : value.substring(0, length);
    }
}
