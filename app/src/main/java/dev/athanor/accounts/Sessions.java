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
        handle.createUpdate("""
                INSERT INTO session (id_hash, learner_id, created_at, last_seen_at, expires_at, user_agent, address)
                VALUES (:id, :learner, :now, :now, :expires, :agent, :address)""")
                .bind("id", Tokens.hash(token)).bind("learner", learnerId).bind("now", now)
                .bind("expires", now.plus(absolute)).bind("agent", truncate(userAgent, 300))
                .bind("address", truncate(address, 64)).execute();
        return token;
    }

    /** The live session behind a cookie's token, if any; touches it (at most once a minute). */
    Optional<Live> find(String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            Optional<Live> live = handle.createQuery("""
                    SELECT s.id_hash, s.learner_id, l.email, l.email_verified_at IS NOT NULL,
                           l.role = 'operator' AND EXISTS (SELECT 1 FROM second_factor f
                                                           WHERE f.learner_id = l.id AND f.confirmed_at IS NOT NULL),
                           s.last_seen_at
                    FROM session s JOIN learner l ON l.id = s.learner_id
                    WHERE s.id_hash = :id AND s.expires_at > :now AND s.last_seen_at > :idleSince
                      AND l.disabled_at IS NULL""")
                    .bind("id", Tokens.hash(token)).bind("now", now).bind("idleSince", now.minus(idle))
                    .map((rs, ctx) -> {
                        Instant seen = rs.getTimestamp(6).toInstant();
                        if (seen.plus(TOUCH_EVERY).isBefore(now)) {
                            handle.createUpdate("UPDATE session SET last_seen_at = :now WHERE id_hash = :id")
                                    .bind("now", now).bind("id", rs.getBytes(1)).execute();
                        }
                        return new Live(rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4),
                                rs.getBoolean(5));
                    })
                    .findOne();
            return live;
        });
    }

    void end(Handle handle, String token) {
        if (Tokens.plausible(token)) {
            handle.createUpdate("DELETE FROM session WHERE id_hash = :id").bind("id", Tokens.hash(token)).execute();
        }
    }

    /** Ends every session of {@code learnerId} except the one with {@code keep} (none when null). */
    int endAll(Handle handle, long learnerId, byte[] keep) {
        if (keep == null) {
            return handle.createUpdate("DELETE FROM session WHERE learner_id = :learner").bind("learner", learnerId)
                    .execute();
        }
        return handle.createUpdate("DELETE FROM session WHERE learner_id = :learner AND id_hash <> :keep")
                .bind("learner", learnerId).bind("keep", keep).execute();
    }

    List<Listed> list(long learnerId, byte[] current) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT to_char(created_at, 'YYYY-MM-DD HH24:MI'), to_char(last_seen_at, 'YYYY-MM-DD HH24:MI'),
                       user_agent, address, id_hash = :current
                FROM session WHERE learner_id = :learner AND expires_at > now() ORDER BY last_seen_at DESC""")
                .bind("learner", learnerId).bind("current", current)
                .map((rs, ctx) -> new Listed(rs.getString(1) + " UTC", rs.getString(2) + " UTC", rs.getString(3),
                        rs.getString(4), rs.getBoolean(5)))
                .list());
    }

    private static String truncate(String text, int length) {
        String value = text == null ? "" : text;
        return value.length() <= length ? value : value.substring(0, length);
    }
}
