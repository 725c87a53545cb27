package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.Backups;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.RecordingAlerts;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.ops.testing.TestSite;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Silence is never mistaken for health: a scheduler whose store fires nothing (Quartz with the wrong driver delegate)
 * shows as a problem in {@code ops scheduler status} and as an unhealthy {@code scheduler} check on the site's admin
 * port, while a working one shows all well; a newest good backup older than its period plus grace raises the
 * {@code backup-age} alert and turns the site's {@code backup-age} check unhealthy, and a new backup clears both.
 */
class SchedulerHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWorkingSchedulerIsAllWellAndAStoreThatFiresNothingIsUnhealthy() throws Exception {
        TestDatabase working = migratedDatabase();
        Path workingDirectory = TestPostgres.newDirectory("scheduler-working");
        Path workingConfig = schedulerConfig(working, workingDirectory, "");
        try (JavaProcess daemon = JavaProcess.start(workingDirectory.resolve("scheduler.log"), Ops.class,
                "scheduler", "run", "--config", workingConfig.toString())) {
            assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
            awaitRuns(working, 1);
            // The job fires every 2 s: on a busy machine the next run may be under way when status looks.
            OpsRun status = awaitStatus(workingConfig, "(?m)^backup-daily\\s+\\S+\\s+\\d{4}-.*succeeded");

            assertThat(status.exitCode()).as(status.out()).isZero();
            assertThat(status.out()).containsPattern("(?m)^backup-daily\\s+\\S+\\s+\\d{4}-.*succeeded")
                    .contains("All well.");
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }

        TestDatabase broken = migratedDatabase();
        Path brokenDirectory = TestPostgres.newDirectory("scheduler-broken");
        Path brokenConfig = schedulerConfig(broken, brokenDirectory, """
                  quartz:
                    org.quartz.jobStore.driverDelegateClass: org.quartz.impl.jdbcjobstore.StdJDBCDelegate
                """);
        try (JavaProcess daemon = JavaProcess.start(brokenDirectory.resolve("scheduler.log"), Ops.class,
                "scheduler", "run", "--config", brokenConfig.toString())) {
            assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
            OpsRun status = awaitProblem(brokenConfig);

            assertThat(status.exitCode()).isEqualTo(1);
            assertThat(status.out()).containsPattern("problem: job backup-daily (has a trigger in ERROR state|was"
                    + " due at .* and has not fired)");
            assertThat(Databases.queryLong(broken, "SELECT count(*) FROM scheduler_job_runs")).isZero();

            DropwizardTestSupport<AthanorConfiguration> site = TestSite.on(broken,
                    ConfigOverride.config("scheduler.misfireThreshold", "1 second"),
                    ConfigOverride.config("scheduler.checkinInterval", "1 second"),
                    ConfigOverride.config("backup.storage.directory", brokenDirectory.resolve("backups").toString()));
            site.before();
            try {
                JsonNode checks = adminChecks(site);
                assertThat(checks.at("/scheduler/healthy").asBoolean()).isFalse();
                assertThat(checks.at("/scheduler/message").asText()).contains("job backup-daily");
                assertThat(checks.at("/backup-age/healthy").asBoolean()).isFalse();
                assertThat(checks.at("/backup-age/message").asText()).isEqualTo("no good backup exists yet");
            } finally {
                site.after();
            }
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }
    }

    @Test
    void aBackupOlderThanItsPeriodPlusGraceAlertsAndTurnsTheSiteUnhealthy() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("backup-age");
        Path config = TestConfig.on(database, directory).write(directory);
        OpsRun run = OpsRun.of("backup", "run", "--kind", "daily", "--json", "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String id = JSON.readTree(run.out()).get("id").asText();
        Path manifest = directory.resolve("backups").resolve(id + ".manifest.json");
        ObjectNode aged = (ObjectNode) JSON.readTree(Files.readString(manifest));
        aged.put("finishedAt", Instant.now().minus(Duration.ofDays(3)).toString());
        Files.writeString(manifest, aged.toString());
        AthanorConfiguration configuration = ConfigOption.of(config).load();
        RecordingAlerts alerts = new RecordingAlerts();

        try (DatabaseServer server = configuration.getDatabase().start();
                Backups backups = configuration.getBackup().build(alerts)) {
            SchedulerWatchdog watchdog = new SchedulerWatchdog(backups, configuration.getBackup().getPeriod(),
                    configuration.getBackup().getGrace(), configuration.getScheduler(),
                    server.dataSource("test"), alerts);
            watchdog.check();

            assertThat(alerts.raised()).filteredOn(alert -> alert.key().equals("backup-age")).singleElement()
                    .satisfies(alert -> {
                        assertThat(alert.subject()).startsWith("No recent backup: the newest good backup, " + id);
                        assertThat(alert.body()).contains("is 3 days old, more than the 30 h allowed")
                                .contains(directory.resolve("backups").toString());
                    });

            DropwizardTestSupport<AthanorConfiguration> site = TestSite.on(database,
                    ConfigOverride.config("backup.storage.directory",
                            directory.resolve("backups").toString()));
            site.before();
            try {
                JsonNode checks = adminChecks(site);
                assertThat(checks.at("/backup-age/healthy").asBoolean()).isFalse();
                assertThat(checks.at("/backup-age/message").asText()).contains(id)
                        .contains("more than the 30 h allowed");
            } finally {
                site.after();
            }

            assertThat(OpsRun.of("backup", "run", "--config", config.toString()).exitCode()).isZero();
            watchdog.check();
            assertThat(alerts.resolved()).contains("backup-age");
            assertThat(alerts.raised()).filteredOn(alert -> alert.key().equals("backup-age")).hasSize(1);
        }
    }

    private static Path schedulerConfig(TestDatabase database, Path directory, String extra) throws Exception {
        return TestConfig.on(database, directory).section("scheduler", """
                  jobs:
                    backup-daily: "0/2 * * * * ?"
                  misfireThreshold: 1 second
                  checkinInterval: 1 second
                  stopTimeout: 30 seconds
                """ + extra).write(directory);
    }

    private static OpsRun awaitProblem(Path config) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        OpsRun status = OpsRun.of("scheduler", "status", "--config", config.toString());
        while (status.exitCode() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = OpsRun.of("scheduler", "status", "--config", config.toString());
        }
        return status;
    }

    private static OpsRun awaitStatus(Path config, String pattern) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        OpsRun status = OpsRun.of("scheduler", "status", "--config", config.toString());
        while (!java.util.regex.Pattern.compile(pattern).matcher(status.out()).find()
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = OpsRun.of("scheduler", "status", "--config", config.toString());
        }
        return status;
    }

    private static void awaitRuns(TestDatabase database, long runs) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Databases.queryLong(database, "SELECT count(*) FROM scheduler_job_runs WHERE outcome = 'succeeded'")
                < runs) {
            assertThat(System.nanoTime()).as("the scheduler runs its job").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static JsonNode adminChecks(DropwizardTestSupport<AthanorConfiguration> site) throws Exception {
        return JSON.readTree(Http.get("http://127.0.0.1:" + site.getAdminPort() + "/healthcheck").body());
    }

    private static TestDatabase migratedDatabase() {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        return database;
    }
}
