package dev.athanor.platform.db;

import java.util.Optional;

/**
 * What the site may open against what PostgreSQL accepts. A managed server accepts few connections (25 on
 * DigitalOcean's smallest plan, 3 of them reserved), and a site whose nodes together may open more fails under load
 * with "too many clients" instead of waiting for its pool; the site says so at start and {@code ops doctor} repeats
 * it, naming every number and what to change.
 */
public record ConnectionBudget(ConnectionDemand demand, ServerLimits limits) {

    /** The connections left over when every node and ops use all they may (negative when over). */
    public int spare() {
        return limits.available() - demand.direct();
    }

    /** The problem in one line with its remedies, or empty when the demand fits. */
    public Optional<String> shortfall() {
        if (spare() >= 0) {
            return Optional.empty();
        }
        return Optional.of(counts() + ". " + remedy());
    }

    /** The numbers in one line, whether they fit or not. */
    public String counts() {
        ConnectionDemand d = demand;
        String perNode = (d.pooled() ? "" : d.poolSize() + " for the site's pool (database.maxSize) + ")
                + d.siteExtras() + " of the site's own (page-cache LISTEN, health checks) + " + d.scheduler()
                + " of the scheduler's (its Quartz pool, its checks, a pg_dump)";
        return d.nodes() + " node(s) may open " + d.direct() + " connection(s) to PostgreSQL, which accepts "
                + limits.available() + " (max_connections " + limits.maxConnections() + " - "
                + limits.reservedConnections() + " reserved): per node " + perNode + ", and " + d.ops()
                + " for ops commands" + (d.pooled() ? "; the site's pools (" + d.nodes() + " x " + d.poolSize()
                + ") go through the connection pooler" : "");
    }

    /** How many server connections the pooler may use on top of the direct ones (pooled sites only). */
    public int poolerServerConnections() {
        return Math.max(0, spare());
    }

    /** What to change when the demand does not fit. */
    public String remedy() {
        if (demand.pooled()) {
            return "Raise max_connections (on a managed service: a larger plan), or run the scheduler on fewer nodes";
        }
        int fixed = demand.nodes() * (demand.siteExtras() + demand.scheduler()) + demand.ops();
        int poolSize = (limits.available() - fixed) / demand.nodes();
        String lower = poolSize >= 2 ? "Lower database.maxSize (DATABASE_POOL_SIZE) to " + poolSize + ", "
                : "";
        return lower + "put a connection pooler in front (database.url through PgBouncer, database.directUrl to the"
                + " server), or raise max_connections (on a managed service: a larger plan)";
    }
}
