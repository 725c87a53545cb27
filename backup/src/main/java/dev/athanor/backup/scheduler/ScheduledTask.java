package dev.athanor.backup.scheduler;

import java.util.function.BooleanSupplier;

/**
 * The work behind one scheduled job (a backup and prune, a verification, a certificate renewal). It runs on a
 * scheduler thread; a long task polls {@code stopping} and ends cleanly, leaving nothing half done, when it turns true.
 */
@FunctionalInterface
public interface ScheduledTask {

    /**
     * Does the work.
     *
     * @param stopping true once the daemon is stopping and the stop timeout has passed
     * @return one line on what was done, recorded with the run
     * @throws Exception any failure: recorded, logged, alerted (an {@link AlertedFailure} was alerted by the work
     *     itself and is not alerted again); the daemon goes on
     */
    String run(BooleanSupplier stopping) throws Exception;
}
