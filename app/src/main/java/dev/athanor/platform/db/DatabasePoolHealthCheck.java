package dev.athanor.platform.db;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.common.Durations;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A warning for the operator, never a reason to leave readiness: unhealthy while requests have given up waiting for
 * a connection of the site's pool in the last few minutes (too small a pool, or queries that hold connections too
 * long). Shown on the admin port's {@code /healthcheck}, and so by {@code ops health} and {@code ops status}.
 */
final class DatabasePoolHealthCheck extends HealthCheck {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final PoolTimeouts timeouts;
    private final int maxSize;
    private final Duration maxWait;

    DatabasePoolHealthCheck(PoolTimeouts timeouts, int maxSize, Duration maxWait) {
        this.timeouts = timeouts;
        this.maxSize = maxSize;
        this.maxWait = maxWait;
    }

    @Override
    protected Result check() {
        PoolTimeouts.Recent recent = timeouts.recent();
        String window = Durations.human(PoolTimeouts.WINDOW);
        if (recent.count() == 0) {
            return Result.healthy("no request waited over %s for a database connection in the last %s (pool of %d)",
                    Durations.human(maxWait), window, maxSize);
        }
        return Result.unhealthy("%d request(s) found all %d database connections busy for %s in the last %s, the"
                + " latest at %s: raise database.maxSize, or look for slow queries", recent.count(), maxSize,
                Durations.human(maxWait), window, recent.latest().map(TIME::format).orElse("?"));
    }
}
