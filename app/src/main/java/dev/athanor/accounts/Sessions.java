package dev.athanor.accounts;

import dev.athanor.platform.db.LearnerCache;
import dev.athanor.platform.db.LearnerChanges;
import java.nio.ByteBuffer;
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
 *
 * <p>A session found is kept in memory (a {@link LearnerCache}) until its learner changes in any way (ending a session,
 * a password change, disabling, second factors: the database announces it) or the session would expire, so a
 * signed-in page usually costs no query; a touch within the minute is the only write.
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
    /** Sessions kept in memory at most (a few MB), and for how long at most. */
    private static final long KEPT = 50_000;
    private static final Duration KEPT_FOR = Duration.ofMinutes(10);

    /** A session as kept: what a request needs, and when it was last touched. */
    private record Kept(Live live, Instant lastSeenAt) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final LearnerCache<ByteBuffer, Kept> kept;

    Sessions(Jdbi jdbi, Clock clock, Duration idle, Duration absolute, LearnerChanges changes) {
        this.jdbi = jdbi;
        this.kept = new LearnerCache<>("learner", changes, clock, KEPT, KEPT_FOR);
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
        Optional<Kept> found = kept.get(ByteBuffer.wrap(Tokens.hash(token)), this::read);
        if (found.isEmpty() || found.get().lastSeenAt().plus(TOUCH_EVERY).isAfter(now)) {
            return found.map(Kept::live);
        }
        // Touched at most once a minute: a write no page waits on for longer than one statement.
        ByteBuffer key = ByteBuffer.wrap(found.get().live().idHash());
        jdbi.useExtension(SessionDao.class, dao -> dao.touch(found.get().live().idHash(), now));
        kept.update(key, session -> new Kept(session.live(), now));
        return found.map(Kept::live);
    }

    /**
     * The session from the database, kept until it would expire or go idle (then read again: another node may have
     * touched it since).
     */
    private Optional<LearnerCache.Loaded<Kept>> read(ByteBuffer idHash) {
        Instant now = clock.instant();
        return jdbi.withExtension(SessionDao.class, dao -> dao.live(idHash.array(), now, now.minus(idle)))
                .map(row -> new LearnerCache.Loaded<>(new Kept(new Live(row.idHash(), row.learnerId(), row.email(),
                        row.verified(), row.operator()), row.lastSeenAt()), row.learnerId(),
                        earlier(row.expiresAt(), row.lastSeenAt().plus(idle))));
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

    List<SessionDao.ListedRow> list(long learnerId) {
        return jdbi.withExtension(SessionDao.class, dao -> dao.list(learnerId));
    }

    /** The sessions as the account page lists them, marking the one whose id hash is {@code current}. */
    static List<Listed> listed(List<SessionDao.ListedRow> rows, byte[] current) {
        return rows.stream().map(row -> new Listed(row.createdAt(), row.lastSeenAt(), row.userAgent(), row.address(),
                java.util.Arrays.equals(row.idHash(), current))).toList();
    }

    private static Instant earlier(Instant one, Instant other) {
        return one.isBefore(other) ? one : other;
    }

    private static String truncate(String text, int length) {
        String value = text == null ? "" : text;
        return value.length() <= length ? value : value.substring(0, length);
    }
}
