package dev.athanor.billing;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The {@code entitlement} table (manual grants) with its audit trail, {@code grant_audit}; and the one question
 * both it and {@code subscription} answer: whether a learner may watch now.
 */
interface EntitlementDao {

    /**
     * Whether a learner may watch, until when a past-due subscription still lets them (null: not in grace), and in how
     * many seconds the answer changes by time alone (null: never), by the database's clock: a grant starting or
     * ending, a grace running out.
     */
    record Standing(boolean entitled, Instant graceUntil, Double changesIn) {
    }

    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM entitlement WHERE learner_id = :learner
                           AND starts_at <= now() AND (ends_at IS NULL OR ends_at > now()))
                OR EXISTS (SELECT 1 FROM subscription WHERE learner_id = :learner
                           AND status IN ('active', 'trialing')) AS entitled,
                   (SELECT max(past_due_since) + make_interval(secs => :grace) FROM subscription
                    WHERE learner_id = :learner AND status = 'past_due'
                      AND past_due_since + make_interval(secs => :grace) > now()) AS grace_until,
                   extract(epoch FROM
                       LEAST((SELECT min(starts_at) FROM entitlement WHERE learner_id = :learner AND starts_at > now()),
                             (SELECT min(ends_at) FROM entitlement WHERE learner_id = :learner AND ends_at > now()),
                             (SELECT min(past_due_since) + make_interval(secs => :grace) FROM subscription
                              WHERE learner_id = :learner AND status = 'past_due'
                                AND past_due_since + make_interval(secs => :grace) > now())) - now())::float8
                       AS changes_in""")
    @RegisterConstructorMapper(Standing.class)
    Standing standing(@Bind("learner") long learnerId, @Bind("grace") long graceSeconds);

    /** Ends the learner's running or future grant now; how many ended. */
    @SqlUpdate("""
            UPDATE entitlement SET ends_at = now() WHERE learner_id = :learner
            AND source = 'grant' AND (ends_at IS NULL OR ends_at > now())""")
    int endGrants(@Bind("learner") long learnerId);

    /** Ends the learner's running grant now; how many ended. */
    @SqlUpdate("""
            UPDATE entitlement SET ends_at = now() WHERE learner_id = :learner
            AND source = 'grant' AND starts_at <= now() AND (ends_at IS NULL OR ends_at > now())""")
    int endRunningGrants(@Bind("learner") long learnerId);

    @SqlUpdate("""
            INSERT INTO entitlement (learner_id, source, starts_at, ends_at, note)
            VALUES (:learner, 'grant', now(), :end, :note)""")
    void grant(@Bind("learner") long learnerId, @Bind("end") Instant end, @Bind("note") String note);

    @SqlUpdate("""
            INSERT INTO grant_audit (learner_id, action, until, note, actor)
            VALUES (:learner, :action, :until, :note, :actor)""")
    void audit(@Bind("learner") long learnerId, @Bind("action") String action, @Bind("until") Instant until,
            @Bind("note") String note, @Bind("actor") String actor);

    /** Everyone a running grant gives access, as the members list shows them (the last day, not the end). */
    @SqlQuery("""
            SELECT learner_id, 'grant' AS source, to_char(ends_at - interval '1 second', 'YYYY-MM-DD') AS until, note
            FROM entitlement
            WHERE source = 'grant' AND starts_at <= now() AND (ends_at IS NULL OR ends_at > now())""")
    @RegisterConstructorMapper(Grants.Row.class)
    List<Grants.Row> runningGrants();

    /** The learner's running grants, as {@link #runningGrants} shows them. */
    @SqlQuery("""
            SELECT learner_id, 'grant' AS source, to_char(ends_at - interval '1 second', 'YYYY-MM-DD') AS until, note
            FROM entitlement
            WHERE learner_id = :learner AND source = 'grant' AND starts_at <= now()
              AND (ends_at IS NULL OR ends_at > now())""")
    @RegisterConstructorMapper(Grants.Row.class)
    List<Grants.Row> runningGrantsOf(@Bind("learner") long learnerId);
}
