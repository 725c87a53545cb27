package dev.athanor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.DirectoryStorage;
import dev.athanor.backup.storage.S3Storage;
import dev.athanor.backup.storage.StorageException;
import dev.athanor.backup.testing.FaultInjectingProxy;
import dev.athanor.backup.testing.TestS3;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What status pages read about the backups, from a real directory and a real S3-compatible server: the newest backup
 * with its verification, the restore test written last (of whichever backup), and a failure to read as a failure,
 * never as "no backup". The storage's access check names what is wrong: a missing bucket, an endpoint that does not
 * answer, a directory that cannot be written.
 */
class BackupOverviewTest {

    private static final Instant START = Instant.parse("2026-11-20T03:30:00Z");

    private static TestS3 s3;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() {
        s3 = TestS3.start();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @Test
    void theNewestBackupAndTheLastRestoreTestInADirectory() throws Exception {
        newestAndLastRestoreTest(new DirectoryStorage(temp.resolve("backups")));
    }

    @Test
    void theNewestBackupAndTheLastRestoreTestInABucket() throws Exception {
        try (BackupStorage storage = new S3Storage(s3.settings(s3.endpoint(), "overview/", 5 << 20, 1))) {
            newestAndLastRestoreTest(storage);
        }
    }

    private static void newestAndLastRestoreTest(BackupStorage storage) throws Exception {
        assertThat(BackupOverview.read(storage)).isEqualTo(new BackupOverview(Optional.empty(), Optional.empty(),
                false, Optional.empty()));
        BackupId failed = new BackupId(START.minus(Duration.ofDays(2)), BackupKind.DAILY);
        storage.put(failed.failure(), BackupJson.write(new BackupFailure(failed.toString(), BackupKind.DAILY,
                failed.startedAt(), failed.startedAt(), "pg_dump failed")));
        assertThat(BackupOverview.read(storage).anyAttempt()).as("a failed attempt is an attempt").isTrue();
        assertThat(BackupOverview.read(storage).failedSince()).as("the last attempt failed")
                .hasValueSatisfying(failure -> assertThat(failure.reason()).isEqualTo("pg_dump failed"));

        BackupId older = store(storage, START.minus(Duration.ofDays(1)), 1000);
        BackupId newer = store(storage, START, 2000);
        verify(storage, older, true);

        BackupOverview overview = BackupOverview.read(storage);
        assertThat(overview.failedSince()).as("a backup succeeded since the failure").isEmpty();
        assertThat(overview.newest()).hasValueSatisfying(entry -> {
            assertThat(entry.manifest().id()).isEqualTo(newer.toString());
            assertThat(entry.manifest().bytes()).isEqualTo(2000);
            assertThat(entry.verified()).isFalse();
        });
        assertThat(overview.lastVerification()).hasValueSatisfying(test -> {
            assertThat(test.id()).isEqualTo(older.toString());
            assertThat(test.passed()).isTrue();
        });

        Thread.sleep(1100); // listings give times to the second
        verify(storage, newer, false);
        overview = BackupOverview.read(storage);
        assertThat(overview.newest().orElseThrow().verification()).hasValueSatisfying(test -> assertThat(
                test.passed()).isFalse());
        assertThat(overview.lastVerification().orElseThrow().id()).isEqualTo(newer.toString());
        assertThat(overview.anyAttempt()).isTrue();
    }

    @Test
    void aListingThatFailsOrAManifestWithoutItsArchiveIsAFailureNotNoBackup() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint());
                BackupStorage storage = new S3Storage(s3.settings(proxy.endpoint(), "failing/", 5 << 20, 1))) {
            store(storage, START, 1000);
            proxy.failListings(true);

            assertThatThrownBy(() -> BackupOverview.read(storage)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("could not list").hasMessageContaining("injected listing failure");
        }

        DirectoryStorage directory = new DirectoryStorage(temp.resolve("damaged"));
        BackupId id = store(directory, START, 1000);
        directory.delete(id.archive(false));

        assertThatThrownBy(() -> BackupOverview.read(directory)).isInstanceOf(BackupException.class)
                .hasMessage(id.manifest() + " names the archive " + id.archive(false) + ", which is missing from "
                        + directory.describe());
    }

    @Test
    void theAccessCheckNamesWhatIsWrong() throws Exception {
        try (BackupStorage bucket = new S3Storage(s3.settings(s3.endpoint(), "athanor/", 5 << 20, 1))) {
            bucket.checkAccess();
        }
        S3Storage.Settings missing = withBucket(s3.settings(s3.endpoint(), "athanor/", 5 << 20, 1), "no-such-bucket");
        try (BackupStorage bucket = new S3Storage(missing)) {
            assertThatThrownBy(bucket::checkAccess).isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("s3://no-such-bucket/athanor/ at " + s3.endpoint())
                    .hasMessageEndingWith("does not exist (HTTP 404)");
        }
        URI silent = URI.create("http://127.0.0.1:" + TestS3.freePort());
        try (BackupStorage bucket = new S3Storage(s3.settings(silent, "athanor/", 5 << 20, 1))) {
            assertThatThrownBy(bucket::checkAccess).isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("s3://backups/athanor/ at " + silent + " cannot be reached: ");
        }

        new DirectoryStorage(temp.resolve("not/yet/created")).checkAccess();
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertThatThrownBy(() -> new DirectoryStorage(file.resolve("backups")).checkAccess())
                .isInstanceOf(StorageException.class)
                .hasMessage(file.resolve("backups") + " cannot be created: " + file + " is not a directory");
    }

    private static BackupId store(BackupStorage storage, Instant startedAt, long bytes) throws Exception {
        BackupId id = new BackupId(startedAt, BackupKind.DAILY);
        storage.put(id.archive(false), new byte[(int) bytes]);
        storage.put(id.manifest(), BackupJson.write(new BackupManifest(BackupManifest.FORMAT, id.toString(),
                BackupKind.DAILY, "athanor", "127.0.0.1:5432", "15.15", "15.15", startedAt,
                startedAt.plusSeconds(40), id.archive(false), bytes, "00", null, Map.of("public.lessons", 3L),
                List.of())));
        return id;
    }

    private static void verify(BackupStorage storage, BackupId id, boolean passed) throws Exception {
        storage.put(id.verification(), BackupJson.write(new BackupVerification(id.toString(), Instant.now(), passed,
                passed ? "1 table, 3 rows, as in the manifest" : "public.lessons has 2 rows, the manifest 3")));
    }

    private static S3Storage.Settings withBucket(S3Storage.Settings s, String bucket) {
        return new S3Storage.Settings(s.endpoint(), s.region(), bucket, s.prefix(), s.pathStyle(), s.accessKeyId(),
                s.secretAccessKey(), s.partSize(), s.concurrency(), s.maxAttempts(), s.requestTimeout());
    }
}
