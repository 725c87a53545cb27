package dev.athanor.platform.health;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.common.Durations;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a check on a small pool of its own and gives up after a deadline, keeping the check's own message when it
 * answers in time. A hung dependency (a black-holed database, a stuck NFS mount) then shows as unhealthy within the
 * deadline instead of freezing the health scheduler or the admin page.
 */
public final class BoundedHealthCheck extends HealthCheck {

    private final HealthCheck check;
    private final Duration deadline;
    private final ExecutorService executor;

    /**
     * @param executor a bounded pool that refuses work when full, so that hung checks cannot pile up threads
     */
    public BoundedHealthCheck(HealthCheck check, Duration deadline, ExecutorService executor) {
        this.check = check;
        this.deadline = deadline;
        this.executor = executor;
    }

    @Override
    protected Result check() {
        Future<Result> result;
        try {
            result = executor.submit(check::execute);
        } catch (RejectedExecutionException e) {
            return Result.unhealthy("earlier checks are still waiting for an answer");
        }
        try {
            return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            return Result.unhealthy("no answer within " + Durations.human(deadline));
        } catch (ExecutionException e) {
            return Result.unhealthy(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.unhealthy("interrupted");
        }
    }
}
