package dev.athanor.platform.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the site's parts register their health checks. Every check is bounded by a deadline and runs on one small
 * shared pool, so neither the scheduled readiness checks nor the admin page can hang on a dependency.
 */
public final class HealthChecks {

    private static final int MAX_CONCURRENT_CHECKS = 4;

    private final HealthCheckRegistry registry;
    private final ExecutorService executor;

    private HealthChecks(HealthCheckRegistry registry, ExecutorService executor) {
        this.registry = registry;
        this.executor = executor;
    }

    /** A registrar for {@code environment}'s registry whose pool stops with the site. */
    public static HealthChecks create(Environment environment) {
        ExecutorService executor = new ThreadPoolExecutor(0, MAX_CONCURRENT_CHECKS, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "health-check");
                    thread.setDaemon(true);
                    return thread;
                });
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                executor.shutdownNow();
            }
        });
        return new HealthChecks(environment.healthChecks(), executor);
    }

    /** Registers {@code check} under {@code name}, unhealthy if it has not answered within {@code deadline}. */
    public void register(String name, HealthCheck check, Duration deadline) {
        registry.register(name, new BoundedHealthCheck(check, deadline, executor));
    }
}
