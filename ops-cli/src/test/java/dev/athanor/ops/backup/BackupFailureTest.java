package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupFailedException;
import dev.athanor.backup.BackupKind;
import dev.athanor.backup.BackupResult;
import dev.athanor.backup.Backups;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.TransferProgress;
import dev.athanor.backup.testing.FaultInjectingProxy;
import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.RecordingAlerts;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A failed backup leaves nothing that looks like a backup: pg_dump dying halfway (its server stopped mid-dump), or
 * part uploads failing for good, end with a non-zero exit, an alert, no manifest and nothing listed. Part uploads that
 * fail now and then are retried and the backup succeeds. A dump much smaller than the previous one is flagged.
 */
class BackupFailureTest {

    @Test
    void theServerStoppingMidDumpLeavesNoBackup() throws Exception {
        EmbeddedPostgres postgres = TestPostgres.dedicated("dump-failure", 0);
        Path directory = TestPostgres.newDirectory("dump-failure");
        try (DatabaseServer server = postgres.acquire()) {
            TestDatabase database = new TestDatabase(server.jdbcUrl(), server.user(), server.password());
            Databases.execute(database, "CREATE TABLE lessons (id int PRIMARY KEY, body text)",
                    "INSERT INTO lessons SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, 400000) i");
            Path config = TestConfig.on(database, directory).write(directory);
            RecordingAlerts alerts = new RecordingAlerts();
            AthanorConfiguration configuration = ConfigOption.of(config).load();
            AtomicLong streamed = new AtomicLong();
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            TransferProgress stopHalfway = new TransferProgress() {
                @Override
                public void advance(long bytes) {
                    if (streamed.addAndGet(bytes) > 2_000_000 && !stopped.isDone()) {
                        stopped.complete(null);
                        try {
                            postgres.stop();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };

            try (Backups backups = configuration.getBackup().build(alerts)) {
                assertThatThrownBy(() -> backups.run(BackupKind.DAILY, target(server), stopHalfway, () -> false))
                        .isInstanceOf(BackupFailedException.class)
                        .hasMessageContaining("pg_dump failed").hasMessageContaining("nothing was kept");
            }

            assertThat(stopped).as("the server was stopped while the dump streamed").isDone();
            try (Stream<Path> files = Files.list(directory.resolve("backups"))) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .singleElement().asString().endsWith("-daily.failed.json");
            }
            assertThat(alerts.raised()).singleElement().satisfies(alert -> {
                assertThat(alert.key()).isEqualTo("backup-failed");
                assertThat(alert.body()).contains("pg_dump failed");
            });
            OpsRun list = OpsRun.of("backup", "list", "--config", config.toString());
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).startsWith("No backups in");
        } finally {
            postgres.stop();
        }
    }

    @Test
    void partUploadsThatFailNowAndThenAreRetriedAndOnesThatKeepFailingLeaveNothing() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Databases.execute(database, "CREATE TABLE noise (id int, body text)",
                "INSERT INTO noise SELECT i, md5(random()::text) || md5(random()::text) FROM generate_series(1, 300000) i");
        try (TestS3 s3 = TestS3.start(); FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint());
                S3Client direct = s3.client()) {
            Path directory = TestPostgres.newDirectory("upload-faults");
            Path config = TestConfig.on(database, directory)
                    .s3(proxy.endpoint())
                    .write(directory);

            // The first attempt of every part fails; its retry succeeds.
            java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
            proxy.failPartUploads((request, seenBefore) -> failedOnce.add(
                    request.query().replaceAll(".*partNumber=(\\d+).*", "$1")));
            OpsRun flaky = OpsRun.of("backup", "run", "--config", config.toString());

            assertThat(flaky.exitCode()).as(flaky.err()).isZero();
            assertThat(proxy.failedRequests()).as("parts failed and were retried").isPositive();
            assertThat(objects(direct)).hasSize(2).anyMatch(name -> name.endsWith(".manifest.json"));

            proxy.failPartUploads((request, seenBefore) -> true);
            OpsRun broken = OpsRun.of("backup", "run", "--config", config.toString());

            assertThat(broken.exitCode()).isEqualTo(74);
            assertThat(broken.err().lines()).singleElement().asString()
                    .matches("ops: backup \\S+-manual failed: could not upload .*injected part failure.*nothing was kept");
            assertThat(objects(direct)).as("the old backup and a failure record; no new archive or manifest")
                    .hasSize(3).filteredOn(name -> name.endsWith(".failed.json")).hasSize(1);
            assertThat(direct.listMultipartUploads(request -> request.bucket(TestS3.BUCKET)).uploads()).isEmpty();
            OpsRun list = OpsRun.of("backup", "list", "--config", config.toString());
            assertThat(list.out().lines().skip(1)).hasSize(1);
        }
    }

    @Test
    void aBackupWhosePredecessorsCannotBeListedIsStillTakenAndSaysSo() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Databases.execute(database, "CREATE TABLE lessons (id int, body text)",
                "INSERT INTO lessons SELECT i, md5(i::text) FROM generate_series(1, 1000) i");
        try (TestS3 s3 = TestS3.start(); FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint());
                S3Client direct = s3.client()) {
            Path directory = TestPostgres.newDirectory("listing-fails");
            Path config = TestConfig.on(database, directory)
                    .s3(proxy.endpoint())
                    .write(directory);
            RecordingAlerts alerts = new RecordingAlerts();
            AthanorConfiguration configuration = ConfigOption.of(config).load();
            proxy.failListings(true);

            try (DatabaseServer server = configuration.getDatabase().start();
                    Backups backups = configuration.getBackup().build(alerts)) {
                BackupResult result = backups.run(BackupKind.MANUAL, target(server), TransferProgress.NONE,
                        () -> false);

                assertThat(result.previousBytes()).isEmpty();
                assertThat(result.manifest().warnings()).singleElement().asString()
                        .startsWith("the previous backups could not be read to compare sizes")
                        .contains("injected listing failure");
            }
            assertThat(objects(direct)).hasSize(2).anyMatch(name -> name.endsWith(".manifest.json"));
            assertThat(alerts.raised()).isEmpty();
        }
    }

    @Test
    void aDumpMuchSmallerThanThePreviousOneIsFlaggedAndAlerted() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Databases.execute(database, "CREATE TABLE lessons (id int, body text)",
                "INSERT INTO lessons SELECT i, md5(i::text) || md5((i + 1)::text) FROM generate_series(1, 50000) i");
        Path directory = TestPostgres.newDirectory("shrink");
        Path config = TestConfig.on(database, directory).write(directory);
        RecordingAlerts alerts = new RecordingAlerts();
        AthanorConfiguration configuration = ConfigOption.of(config).load();
        try (DatabaseServer server = configuration.getDatabase().start();
                Backups backups = configuration.getBackup().build(alerts)) {
            BackupResult first = backups.run(BackupKind.MANUAL, target(server), TransferProgress.NONE, () -> false);
            Databases.execute(database, "DELETE FROM lessons WHERE id > 100");
            Thread.sleep(1100);

            BackupResult second = backups.run(BackupKind.MANUAL, target(server), TransferProgress.NONE, () -> false);

            assertThat(first.muchSmaller()).isFalse();
            assertThat(second.muchSmaller()).isTrue();
            assertThat(second.previousBytes()).contains(first.manifest().bytes());
            assertThat(second.manifest().warnings()).anyMatch(warning -> warning.contains("much smaller"));
            assertThat(alerts.raised()).singleElement().satisfies(alert -> {
                assertThat(alert.key()).isEqualTo("backup-smaller");
                assertThat(alert.body()).contains(first.manifest().id());
            });
        }
    }

    private static PostgresTarget target(DatabaseServer server) {
        return new PostgresTarget(server.jdbcUrl(), server.user(), server.password());
    }

    private static List<String> objects(S3Client client) {
        return client.listObjectsV2(request -> request.bucket(TestS3.BUCKET)).contents().stream().map(S3Object::key)
                .toList();
    }
}
