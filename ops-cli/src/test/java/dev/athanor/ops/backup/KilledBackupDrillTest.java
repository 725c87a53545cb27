package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The killed-backup drill (issue 18; CI runs it): the real {@code ops backup run}, as a process of its own, is killed
 * with SIGKILL while it writes a dump of a few seconds. What it left (an {@code ID.dump.partial} file, an incomplete
 * multipart upload) is removed by the next {@code ops backup run} or by {@code ops backup prune}, the attempt is
 * recorded as failed ({@code ID.failed.json}, "did not finish"), {@code ops status} shows it until a backup succeeds,
 * and the next backup completes.
 */
class KilledBackupDrillTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase database;

    /** About 140 MB of incompressible-ish rows: pg_dump takes a few seconds over them. */
    @BeforeAll
    static void fill() throws Exception {
        database = TestPostgres.shared().createDatabase();
        Databases.execute(database, "CREATE TABLE lessons (id int PRIMARY KEY, body text)",
                "INSERT INTO lessons SELECT i, md5(random()::text) || md5(random()::text) || md5(i::text)"
                        + " FROM generate_series(1, 1200000) i");
    }

    @Test
    void theNextRunRemovesTheKilledRunsPartialDumpAndRecordsItAsFailed() throws Exception {
        Path directory = TestPostgres.newDirectory("killed-run");
        Path backups = directory.resolve("backups");
        Path config = TestConfig.on(database, directory).write(directory);
        String killedId = killWhileWriting(directory, config, () -> partial(backups).isPresent());
        assertThat(names(backups)).as("the kill left a partial dump and its lease")
                .contains(killedId + ".dump.partial", killedId + ".running.json");

        OpsRun next = OpsRun.of("backup", "run", "--config", config.toString());

        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.out()).contains("earlier backup " + killedId + " did not finish: its process (pid")
                .contains("stopped (killed, or the machine went down) after writing")
                .contains("the partial dump was removed; recorded as failed");
        assertThat(names(backups)).as("no partial dump or lease left; the attempt recorded as failed; the new backup")
                .noneMatch(name -> name.endsWith(".partial") || name.endsWith(".running.json"))
                .contains(killedId + ".failed.json")
                .filteredOn(name -> name.endsWith(".manifest.json")).hasSize(1);
        assertThat(Files.readString(backups.resolve(killedId + ".failed.json"))).contains("did not finish");
        JsonNode status = statusJson(config);
        assertThat(status.path("backups").path("lastFailure").isNull()).as("a backup succeeded since").isTrue();
    }

    @Test
    void pruneRemovesTheKilledRunsPartialDumpAndStatusShowsTheFailureUntilABackupSucceeds() throws Exception {
        Path directory = TestPostgres.newDirectory("killed-prune");
        Path backups = directory.resolve("backups");
        Path config = TestConfig.on(database, directory).write(directory);
        String killedId = killWhileWriting(directory, config, () -> partial(backups).isPresent());

        OpsRun prune = OpsRun.of("backup", "prune", "--config", config.toString());

        assertThat(prune.out()).contains("unfinished   " + killedId + "  (did not finish:")
                .contains("Nothing deleted: the newest backup attempt");
        assertThat(prune.exitCode()).as("retention refuses while the newest attempt failed").isEqualTo(1);
        assertThat(names(backups)).containsExactly(killedId + ".failed.json");

        JsonNode failed = statusJson(config).path("backups").path("lastFailure");
        assertThat(failed.path("id").asText()).isEqualTo(killedId);
        assertThat(failed.path("reason").asText()).startsWith("did not finish:");
        OpsRun screen = OpsRun.of("status", "--config", config.toString());
        assertThat(screen.exitCode()).isEqualTo(1);
        assertThat(screen.out()).contains("the last backup attempt, " + killedId + ", failed: did not finish")
                .containsPattern("Backups +last attempt \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d failed: did not finish");

        OpsRun next = OpsRun.of("backup", "run", "--config", config.toString());
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(statusJson(config).path("backups").path("lastFailure").isNull()).isTrue();
    }

    @Test
    void theNextRunAbortsTheKilledRunsMultipartUpload() throws Exception {
        try (TestS3 s3 = TestS3.start(); S3Client direct = s3.client()) {
            Path directory = TestPostgres.newDirectory("killed-s3");
            Path config = TestConfig.on(database, directory).s3(s3.endpoint())
                    .replace("# partSize: 8MiB", "partSize: 5MiB").write(directory);
            killWhileWriting(directory, config, () -> uploads(direct).stream().anyMatch(
                    upload -> !direct.listParts(request -> request.bucket(TestS3.BUCKET).key(upload.key())
                            .uploadId(upload.uploadId())).parts().isEmpty()));
            assertThat(uploads(direct)).as("the kill left an incomplete multipart upload").isNotEmpty();
            String killedId = uploads(direct).get(0).key().replaceAll("^athanor/([^.]+)\\..*$", "$1");

            OpsRun next = OpsRun.of("backup", "run", "--config", config.toString());

            assertThat(next.exitCode()).as(next.err()).isZero();
            assertThat(next.out()).contains("earlier backup " + killedId + " did not finish");
            assertThat(uploads(direct)).as("no incomplete multipart upload left").isEmpty();
            List<String> keys = direct.listObjectsV2(request -> request.bucket(TestS3.BUCKET)).contents().stream()
                    .map(S3Object::key).toList();
            assertThat(keys).contains("athanor/" + killedId + ".failed.json")
                    .noneMatch(key -> key.endsWith(".running.json"))
                    .filteredOn(key -> key.endsWith(".manifest.json")).hasSize(1);
            String failure = direct.getObjectAsBytes(request -> request.bucket(TestS3.BUCKET)
                    .key("athanor/" + killedId + ".failed.json")).asUtf8String();
            assertThat(failure).contains("did not finish").contains("after writing");
        }
    }

    /**
     * Starts {@code ops backup run}, kills it with SIGKILL once {@code writing} holds, and returns the id of the
     * partial dump it left in the backup directory (empty for a bucket).
     */
    private static String killWhileWriting(Path directory, Path config, CheckedCondition writing) throws Exception {
        Path output = directory.resolve("killed-run.out");
        try (JavaProcess run = JavaProcess.start(output, Ops.class, "backup", "run", "--config",
                config.toString())) {
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (!writing.holds()) {
                assertThat(System.nanoTime()).as("ops backup run began writing its dump; it said: %s",
                        run.output()).isLessThan(end);
                assertThat(run.output()).as("ops backup run still runs").doesNotContain("Backup 2");
                Thread.sleep(20);
            }
            assertThat(run.kill(Duration.ofSeconds(10))).as("killed by SIGKILL").isEqualTo(137);
        }
        // Backup ids are to the second: a run started in the second the killed one started would take its name
        // and overwrite its partial dump (UnfinishedBackups#sweep), leaving nothing to record.
        Thread.sleep(1_100);
        Path backups = directory.resolve("backups");
        Optional<String> partial = partial(backups);
        return partial.map(name -> name.substring(0, name.indexOf('.'))).orElse("");
    }

    /** The name of a partial dump holding at least a megabyte. */
    private static Optional<String> partial(Path backups) throws IOException {
        if (!Files.isDirectory(backups)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(backups)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".dump.partial"))
                    .filter(sizeAtLeast(1 << 20)).map(file -> file.getFileName().toString()).findFirst();
        }
    }

    private static Predicate<Path> sizeAtLeast(long bytes) {
        return file -> {
            try {
                return Files.size(file) >= bytes;
            } catch (IOException e) {
                return false;
            }
        };
    }

    private static List<String> names(Path backups) throws IOException {
        try (Stream<Path> files = Files.list(backups)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static List<MultipartUpload> uploads(S3Client direct) {
        return direct.listMultipartUploads(request -> request.bucket(TestS3.BUCKET)).uploads();
    }

    private static JsonNode statusJson(Path config) throws IOException {
        OpsRun status = OpsRun.of("status", "--json", "--config", config.toString());
        return JSON.readTree(status.out());
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean holds() throws Exception;
    }
}
