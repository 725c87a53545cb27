package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.OpsRun;
import org.junit.jupiter.api.Test;

/** {@code ops scheduler} alone is a question, not an order: it prints its usage and starts nothing. */
class SchedulerCommandTest {

    @Test
    void aloneItPrintsItsUsageAndStartsNoDaemon() {
        OpsRun bare = OpsRun.of("--config", "/nonexistent/config.yml", "scheduler");

        assertThat(bare.err()).isEmpty();
        assertThat(bare.exitCode()).isZero();
        assertThat(bare.out()).startsWith("Usage: ops scheduler ")
                .containsPattern("(?m)^\\s+run\\s+Run the scheduler daemon in the foreground")
                .containsPattern("(?m)^\\s+status\\s+List the scheduled jobs");
    }

    @Test
    void runStartsTheDaemonWhichFirstReadsTheConfiguration() {
        OpsRun run = OpsRun.of("scheduler", "run", "--config", "/nonexistent/config.yml");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("/nonexistent/config.yml: no such configuration file");
    }
}
