package dev.athanor.platform.web;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The log of announced content changes ({@code page_changes}), which lets a listener catch up after a lost connection. */
@RegisterConstructorMapper(PageChangeDao.Change.class)
interface PageChangeDao {

    /** One announced change: its id and the page-cache keys it touched. */
    record Change(long id, String keys) {
    }

    /** Records a change within the caller's transaction; returns its id. */
    @SqlUpdate("INSERT INTO page_changes (keys) VALUES (:keys)")
    @GetGeneratedKeys("id")
    long record(@Bind("keys") String keys);

    /** Tells the listening connection of a change; delivered when the caller's transaction commits. */
    @SqlQuery("SELECT pg_notify(:channel, :payload)")
    String notify(@Bind("channel") String channel, @Bind("payload") String payload);

    /**
     * A snapshot of which transactions have committed, taken now: the horizon from which a listener that loses its
     * connection catches up.
     */
    @SqlQuery("SELECT pg_current_snapshot()::text")
    String snapshot();

    /** The changes that had not committed in {@code snapshot}: whatever committed since it was taken. */
    @SqlQuery("SELECT id, keys FROM page_changes WHERE NOT pg_visible_in_snapshot(xid, CAST(:snapshot AS pg_snapshot))"
            + " ORDER BY id")
    List<Change> committedAfter(@Bind("snapshot") String snapshot);

    /** Removes changes older than {@code kept}; no listener is that far behind. */
    @SqlUpdate("DELETE FROM page_changes WHERE changed_at < now() - make_interval(secs => :seconds)")
    int forgetOlderThan(@Bind("seconds") long seconds);
}
