package dev.athanor.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code throttle} table: the recent attempts per key, which every node counts against. */
interface ThrottleDao {

    /**
     * Counts an attempt at {@code now} unless {@code limit} attempts were made since {@code since}; whether it was
     * counted. The row's lock makes the check and the count one step for every node.
     */
    @SqlQuery("""
            INSERT INTO throttle AS t (key, attempts) VALUES (:key, ARRAY[CAST(:now AS timestamptz)])
            ON CONFLICT (key) DO UPDATE
            SET attempts = ARRAY(SELECT a FROM unnest(t.attempts) a WHERE a > :since ORDER BY a)
                           || CAST(:now AS timestamptz)
            WHERE (SELECT count(*) FROM unnest(t.attempts) a WHERE a > :since) < :limit
            RETURNING true""")
    Optional<Boolean> acquire(@Bind("key") String key, @Bind("now") Instant now, @Bind("since") Instant since,
            @Bind("limit") int limit);

    /**
     * {@link #acquire} for two keys in one statement, each against its own limit; the keys it counted (both, one or
     * none). The rows are locked in the order given (the VALUES' order, kept by ORDER BY); callers name the client's
     * key first everywhere, so no two statements lock the same rows in opposite orders.
     */
    @SqlQuery("""
            WITH input (position, key, attempts, since) AS (VALUES
                (1, :first, :firstLimit, CAST(:firstSince AS timestamptz)),
                (2, :second, :secondLimit, CAST(:secondSince AS timestamptz)))
            INSERT INTO throttle AS t (key, attempts)
            SELECT key, ARRAY[CAST(:now AS timestamptz)] FROM input ORDER BY position
            ON CONFLICT (key) DO UPDATE
            SET attempts = ARRAY(SELECT a FROM unnest(t.attempts) a
                                 WHERE a > (SELECT since FROM input WHERE input.key = t.key) ORDER BY a)
                           || CAST(:now AS timestamptz)
            WHERE (SELECT count(*) FROM unnest(t.attempts) a
                   WHERE a > (SELECT since FROM input WHERE input.key = t.key))
                  < (SELECT attempts FROM input WHERE input.key = t.key)
            RETURNING key""")
    List<String> acquireBoth(@Bind("first") String first, @Bind("firstLimit") int firstLimit,
            @Bind("firstSince") Instant firstSince, @Bind("second") String second,
            @Bind("secondLimit") int secondLimit, @Bind("secondSince") Instant secondSince,
            @Bind("now") Instant now);

    /** The oldest attempt of {@code key} since {@code since}: the one whose expiry frees a place. */
    @SqlQuery("SELECT min(a) FROM throttle, unnest(attempts) a WHERE key = :key AND a > :since")
    Optional<Instant> oldestSince(@Bind("key") String key, @Bind("since") Instant since);

    /** Takes back the newest attempt of {@code key}. */
    @SqlUpdate("""
            UPDATE throttle SET attempts = attempts[1 : cardinality(attempts) - 1]
            WHERE key = :key AND cardinality(attempts) > 0""")
    void refund(@Bind("key") String key);

    @SqlUpdate("DELETE FROM throttle WHERE key = :key")
    void forget(@Bind("key") String key);

    /** Deletes the keys with no attempt since {@code before}, skipping any a sign-in holds now; how many. */
    @SqlUpdate("""
            DELETE FROM throttle WHERE key IN (
                SELECT key FROM throttle WHERE coalesce((SELECT max(a) FROM unnest(attempts) a) < :before, true)
                FOR UPDATE SKIP LOCKED)""")
    int expire(@Bind("before") Instant before);
}
