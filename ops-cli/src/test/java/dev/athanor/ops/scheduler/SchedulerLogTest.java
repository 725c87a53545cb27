package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code ops scheduler} writes its log as JSON lines in {@code storage.logDirectory/scheduler.log}, the format of the
 * site's app.log, where {@code ops logs scheduler} reads it: here, billing-reconcile skipping quietly (a succeeded run
 * and one log line) because Stripe is not configured.
 */
class SchedulerLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSchedulerLogsJsonWhereOpsLogsSchedulerReadsIt() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Path directory = TestPostgres.newDirectory("scheduler-log");
        Path config = TestConfig.on(database, directory)
                .section("scheduler", """
                          jobs:
                            billing-reconcile: "0/2 * * * * ?"
                          misfireThreshold: 1 second
                          checkinInterval: 1 second
                          stopTimeout: 30 seconds
                        """)
                .write(directory);
        JobRuns runs = new JobRuns(database.dataSource());
        try (JavaProcess daemon = JavaProcess.start(directory.resolve("scheduler.out"), Ops.class, "scheduler", "run",
                "--config", config.toString())) {
            assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (runs.all().stream().noneMatch(run -> run.outcome().equals("succeeded"))) {
                assertThat(System.nanoTime()).as(daemon.output()).isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }

        assertThat(runs.all()).allSatisfy(run -> {
            assertThat(run.outcome()).isEqualTo("succeeded");
            assertThat(run.detail()).contains("skipped: Stripe is not configured (billing.secretKey)");
        });
        assertThat(directory.resolve("logs/scheduler.log")).isRegularFile();
        OpsRun skipped = OpsRun.of("logs", "scheduler", "--json", "--grep", "billing-reconcile skipped", "--config",
                config.toString());
        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        assertThat(skipped.out().lines()).isNotEmpty().allSatisfy(line -> {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("level").asText()).isEqualTo("INFO");
            assertThat(event.get("message").asText())
                    .isEqualTo("billing-reconcile skipped: Stripe is not configured (billing.secretKey)");
            assertThat(event.get("timestamp").isNumber()).isTrue();
        });
        OpsRun readable = OpsRun.of("logs", "scheduler", "--grep", "Scheduler node", "--config", config.toString());
        assertThat(readable.out()).contains("INFO").contains("running [billing-reconcile]");
        assertThat(Files.readString(directory.resolve("logs/scheduler.log"))).as("flushed at the stop")
                .contains("\"Scheduler stopped\"");
    }
}
