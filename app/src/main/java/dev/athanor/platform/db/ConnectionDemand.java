package dev.athanor.platform.db;

import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.monitoring.nginx.NginxFactory;

/**
 * The most connections the configured site may open to PostgreSQL, counted from its configuration in one place: on
 * each node the site's pool ({@code database.maxSize}), the site's own connections outside it (the page cache's
 * LISTEN, the database health check, and with a pooler the migrations check, which connects directly), the
 * scheduler's (its Quartz pool and its own checks and a running pg_dump); and a few for {@code ops} commands run by
 * hand (a backup, a migration, a restore check).
 *
 * @param pooled whether the site's pool goes through a connection pooler (then its connections are the pooler's
 *               clients, not the server's)
 */
public record ConnectionDemand(int poolSize, int nodes, int siteExtras, int scheduler, int ops, boolean pooled) {

    /** Connections for {@code ops} commands run beside the services. */
    static final int OPS = 3;
    /** The scheduler's connections beside its Quartz pool: its run records and checks, and a pg_dump. */
    static final int SCHEDULER_EXTRAS = 2;

    /** The demand of the site configured with these sections. */
    public static ConnectionDemand of(DatabaseFactory database, SchedulerFactory scheduler, NginxFactory nginx) {
        int quartz = Integer.parseInt(scheduler.quartzProperties("", "", "")
                .getProperty("org.quartz.dataSource.athanor.maxConnections").strip());
        return new ConnectionDemand(database.getMaxSize(), nodes(nginx), database.isPooled() ? 3 : 2,
                quartz + SCHEDULER_EXTRAS, OPS, database.isPooled());
    }

    /** The site's nodes: this one and each of {@code nginx.peers} (a bare host counts once). */
    static int nodes(NginxFactory nginx) {
        return 1 + nginx.getPeers().size();
    }

    /** The connections each node opens directly to the server. */
    int directPerNode() {
        return (pooled ? 0 : poolSize) + siteExtras + scheduler;
    }

    /** The connections every node together and the ops commands may open directly to the server. */
    int direct() {
        return nodes * directPerNode() + ops;
    }
}
