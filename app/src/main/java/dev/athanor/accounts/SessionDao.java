package dev.athanor.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code session} table: signed-in browsers, by the SHA-256 of their cookie's token. */
@RegisterConstructorMapper(SessionDao.LiveRow.class)
@RegisterConstructorMapper(SessionDao.ListedRow.class)
interface SessionDao {

    /** A live session with its learner's facts, and when it was last seen (to touch it now and then). */
    record LiveRow(byte[] idHash, long learnerId, String email, boolean verified, boolean operator,
            Instant lastSeenAt, Instant expiresAt) {
    }

    @SqlUpdate("""
            INSERT INTO session (id_hash, learner_id, created_at, last_seen_at, expires_at, user_agent, address)
            VALUES (:id, :learner, :now, :now, :expires, :agent, :address)""")
    void insert(@Bind("id") byte[] idHash, @Bind("learner") long learnerId, @Bind("now") Instant now,
            @Bind("expires") Instant expires, @Bind("agent") String userAgent, @Bind("address") String address);

    /**
     * The session, unless expired, idle since {@code idleSince} or of a disabled account; {@code operator} only for an
     * operator with a confirmed second factor.
     */
    @SqlQuery("""
            SELECT s.id_hash, s.learner_id, l.email, l.email_verified_at IS NOT NULL AS verified,
                   l.role = 'operator' AND EXISTS (SELECT 1 FROM second_factor f
                                                   WHERE f.learner_id = l.id AND f.confirmed_at IS NOT NULL)
                       AS operator,
                   s.last_seen_at, s.expires_at
            FROM session s JOIN learner l ON l.id = s.learner_id
            WHERE s.id_hash = :id AND s.expires_at > :now AND s.last_seen_at > :idleSince
              AND l.disabled_at IS NULL""")
    Optional<LiveRow> live(@Bind("id") byte[] idHash, @Bind("now") Instant now,
            @Bind("idleSince") Instant idleSince);

    @SqlUpdate("UPDATE session SET last_seen_at = :now WHERE id_hash = :id")
    void touch(@Bind("id") byte[] idHash, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM session WHERE id_hash = :id")
    int delete(@Bind("id") byte[] idHash);

    @SqlUpdate("DELETE FROM session WHERE learner_id = :learner")
    int deleteAll(@Bind("learner") long learnerId);

    @SqlUpdate("DELETE FROM session WHERE learner_id = :learner AND id_hash <> :keep")
    int deleteAllBut(@Bind("learner") long learnerId, @Bind("keep") byte[] keep);

    /** A session as the account page lists it, with its id to tell the one asking. */
    record ListedRow(byte[] idHash, String createdAt, String lastSeenAt, String userAgent, String address) {
    }

    /** The learner's unexpired sessions, the latest seen first. */
    @SqlQuery("""
            SELECT id_hash, to_char(created_at, 'YYYY-MM-DD HH24:MI') || ' UTC' AS created_at,
                   to_char(last_seen_at, 'YYYY-MM-DD HH24:MI') || ' UTC' AS last_seen_at, user_agent, address
            FROM session WHERE learner_id = :learner AND expires_at > now() ORDER BY last_seen_at DESC""")
    List<ListedRow> list(@Bind("learner") long learnerId);

    /** Forgets sessions past their absolute timeout or idle longer than {@code idleSeconds}. */
    @SqlUpdate("""
            DELETE FROM session
            WHERE expires_at < now() OR last_seen_at < now() - make_interval(secs => :idle)""")
    int deleteExpired(@Bind("idle") long idleSeconds);
}
