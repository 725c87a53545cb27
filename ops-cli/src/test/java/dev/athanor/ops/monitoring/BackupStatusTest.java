package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.backup.testing.FaultInjectingProxy;
import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ops status}, {@code ops digest} and {@code ops doctor} read the backups side for real: backups in S3Proxy,
 * the scheduler running as its own process. Status and the digest show the last backup's age, size and verification,
 * the last restore test and the next jobs; a storage that cannot be listed is a problem, never "no backup"; a fresh
 * setup says "not set up yet" without counting it as a problem; doctor names an unreachable bucket with its fix.
 */
class BackupStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = TestS3.start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Test
    void statusAndTheDigestShowTheLastBackupTheRestoreTestAndTheNextJobs() throws Exception {
        TestDatabase database = migratedDatabase();
        Databases.execute(database, "CREATE TABLE lessons (id int)", "INSERT INTO lessons SELECT generate_series(1, 5000)");
        Path directory = TestPostgres.newDirectory("backup-status");
        Path config = s3Config(database, directory, s3.endpoint().toString(), "status/");
        OpsRun backup = OpsRun.of("backup", "run", "--kind", "daily", "--json", "--config", config.toString());
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        JsonNode taken = JSON.readTree(backup.out());
        OpsRun verify = OpsRun.of("backup", "verify", "--latest", "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();

        try (JavaProcess daemon = JavaProcess.start(directory.resolve("scheduler.out"), Ops.class, "scheduler", "run",
                "--config", config.toString())) {
            assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();

            long started = System.nanoTime();
            OpsRun status = OpsRun.of("status", "--json", "--config", config.toString());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            JsonNode json = JSON.readTree(status.out());
            JsonNode backups = json.get("backups");
            assertThat(backups.get("notConfigured").isNull()).as(backups.toString()).isTrue();
            assertThat(backups.get("problem").isNull()).as(backups.toString()).isTrue();
            assertThat(backups.at("/last/id").asText()).isEqualTo(taken.get("id").asText());
            assertThat(backups.at("/last/kind").asText()).isEqualTo("daily");
            assertThat(backups.at("/last/bytes").asLong()).isEqualTo(taken.get("bytes").asLong()).isPositive();
            assertThat(backups.at("/last/verified").asBoolean()).isTrue();
            assertThat(Duration.parse(backups.get("lastAge").asText())).isBetween(Duration.ZERO,
                    Duration.ofMinutes(5));
            assertThat(backups.at("/restoreTest/backupId").asText()).isEqualTo(taken.get("id").asText());
            assertThat(backups.at("/restoreTest/passed").asBoolean()).isTrue();
            assertThat(backups.get("nextJobs")).extracting(job -> job.get("name").asText())
                    .contains("backup-daily", "backup-weekly", "verify-weekly", "certs-renew", "billing-reconcile",
                            "digest");
            // Quartz fires on whole seconds: a job due this very second may be listed a few ms after its moment.
            assertThat(backups.get("nextJobs")).allSatisfy(job -> assertThat(Instant.parse(job.get("nextFire")
                    .asText())).isAfterOrEqualTo(Instant.now().minusSeconds(1)));
            assertThat(json.get("problems")).extracting(JsonNode::asText)
                    .noneMatch(problem -> problem.startsWith("backups") || problem.startsWith("scheduler")
                            || problem.startsWith("no backup") || problem.startsWith("last backup"));
            assertThat(took).as("status stays quick").isLessThan(Duration.ofSeconds(15));

            OpsRun digest = OpsRun.of("digest", "--config", config.toString());
            assertThat(digest.exitCode()).as(digest.err()).isZero();
            assertThat(digest.out()).containsPattern("(?m)^  last " + taken.get("id").asText()
                    + " \\(daily, [0-9.]+ [KM]iB\\) .* ago, verified$")
                    .containsPattern("(?m)^  restore test: \\S+ of " + taken.get("id").asText() + ": passed$")
                    .containsPattern("(?m)^  next backup-daily: \\S+T03:30:00Z$")
                    .containsPattern("(?m)^  next digest: \\S+T08:00:00Z$");

            OpsRun text = OpsRun.of("status", "--config", config.toString());
            assertThat(text.out()).containsPattern("(?m)^Backups +last .* ago \\(daily, .*, verified\\); restore test"
                    + " .* passed$").containsPattern("(?m)^Next job +backup-daily at ");
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }
    }

    @Test
    void aStorageThatCannotBeListedIsAProblemNotNoBackup() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("backup-status-failing");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint())) {
            Path config = s3Config(database, directory, proxy.endpoint().toString(), "failing/");
            assertThat(OpsRun.of("backup", "run", "--config", config.toString()).exitCode()).isZero();
            proxy.failListings(true);

            OpsRun status = OpsRun.of("status", "--json", "--config", config.toString());

            assertThat(status.exitCode()).isEqualTo(1);
            JsonNode json = JSON.readTree(status.out());
            assertThat(json.at("/backups/last").isNull()).isTrue();
            assertThat(json.at("/backups/problem").asText()).contains("could not list")
                    .contains("injected listing failure");
            assertThat(json.get("problems")).extracting(JsonNode::asText)
                    .anyMatch(problem -> problem.startsWith("backups: could not list"))
                    .noneMatch(problem -> problem.startsWith("no backup yet"));
            OpsRun digest = OpsRun.of("digest", "--config", config.toString());
            assertThat(digest.out()).contains("  could not be read: could not list").doesNotContain("no backup yet");
        }
    }

    @Test
    void aFreshSetupIsNotSetUpYetAndNotAProblem() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("backup-status-fresh");
        Path config = TestConfig.on(database, directory).write(directory);

        OpsRun status = OpsRun.of("status", "--json", "--config", config.toString());

        JsonNode json = JSON.readTree(status.out());
        assertThat(json.at("/backups/notConfigured").asText()).isEqualTo(BackupStatus.NOT_SET_UP);
        assertThat(json.get("problems")).extracting(JsonNode::asText)
                .noneMatch(problem -> problem.contains("backup") || problem.startsWith("scheduler"));
    }

    @Test
    void doctorNamesAnUnreachableBucketWithItsFix() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("backup-doctor");
        String silent = "http://127.0.0.1:" + TestS3.freePort();
        Path unreachable = s3Config(database, directory.resolve("unreachable"), silent, "athanor/");

        OpsRun doctor = OpsRun.of("doctor", "--config", unreachable.toString());

        assertThat(doctor.exitCode()).isEqualTo(2);
        assertThat(doctor.out()).containsPattern("(?m)^FAIL  object storage +s3://backups/athanor/ at "
                + java.util.regex.Pattern.quote(silent) + " cannot be reached: .+$")
                .contains("fix: check ATHANOR_BACKUP_S3_ENDPOINT, ATHANOR_BACKUP_S3_BUCKET");

        Path reachable = s3Config(database, directory.resolve("reachable"), s3.endpoint().toString(), "athanor/");
        OpsRun fine = OpsRun.of("doctor", "--config", reachable.toString());
        assertThat(fine.out()).containsPattern("(?m)^OK    object storage +s3://backups/athanor/ at "
                + java.util.regex.Pattern.quote(s3.endpoint().toString()) + " answers with our credentials$");

        Path local = TestConfig.on(database, directory.resolve("local")).write(directory.resolve("local"));
        OpsRun directoryStorage = OpsRun.of("doctor", "--config", local.toString());
        assertThat(directoryStorage.out()).containsPattern("(?m)^OK    object storage +"
                + java.util.regex.Pattern.quote(directory.resolve("local/backups").toString()) + " is writable$");
    }

    private static Path s3Config(TestDatabase database, Path directory, String endpoint, String prefix)
            throws Exception {
        return TestConfig.on(database, directory)
                .s3(endpoint)
                .set("ATHANOR_BACKUP_S3_PREFIX", prefix)
                .write(directory);
    }

    private static TestDatabase migratedDatabase() {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        return database;
    }
}
