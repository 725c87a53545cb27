package dev.athanor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.DirectoryStorage;
import dev.athanor.backup.storage.StorageException;
import dev.athanor.backup.storage.StorageUpload;
import dev.athanor.backup.storage.StoredObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The previous backup a new one is compared with: the newest good one of the same database on the same server, found
 * by reading manifests newest first only until one matches, and the same one the full catalog would give.
 */
class BackupCatalogTest {

    private static final Instant START = Instant.parse("2026-11-20T03:30:00Z");
    private static final String SERVER = "127.0.0.1:5432";

    @TempDir
    Path temp;

    @Test
    void theNewestGoodBackupOfTheDatabaseIsFoundWithoutReadingTheOlderOnes() throws Exception {
        ReadCounting storage = new ReadCounting(new DirectoryStorage(temp.resolve("backups")));
        for (int day = 10; day >= 3; day--) {
            store(storage, START.minus(Duration.ofDays(day)), "athanor", SERVER, 1000 + day);
        }
        BackupId good = store(storage, START.minus(Duration.ofDays(2)), "athanor", SERVER, 2000);
        verify(storage, good, true);
        BackupId provenBad = store(storage, START.minus(Duration.ofDays(1)), "athanor", SERVER, 3000);
        verify(storage, provenBad, false);
        store(storage, START.minus(Duration.ofHours(12)), "athanor", "db.example.net:5432", 4000);
        BackupId otherDatabase = store(storage, START, "other", SERVER, 5000);
        storage.delete(otherDatabase.archive(false));
        BackupId failed = new BackupId(START.plusSeconds(60), BackupKind.DAILY);
        storage.put(failed.failure(), BackupJson.write(new BackupFailure(failed.toString(), BackupKind.DAILY,
                failed.startedAt(), failed.startedAt(), "pg_dump failed")));
        storage.reads.clear();

        Optional<BackupCatalog.Entry> previous = BackupCatalog.newestGoodOf(storage, "athanor", SERVER);

        assertThat(previous).hasValueSatisfying(entry -> {
            assertThat(entry.manifest().id()).isEqualTo(good.toString());
            assertThat(entry.manifest().bytes()).isEqualTo(2000);
            assertThat(entry.verified()).isTrue();
        });
        assertThat(storage.reads).as("newest first (the listing gives oldest first), down to the match: no older "
                + "manifest, no failure record, nothing of the other database's but its manifest")
                .containsExactly(
                        otherDatabase.manifest(),
                        new BackupId(START.minus(Duration.ofHours(12)), BackupKind.DAILY).manifest(),
                        provenBad.manifest(), provenBad.verification(),
                        good.manifest(), good.verification());

        storage.put(otherDatabase.archive(false), new byte[16]);
        assertThat(BackupCatalog.read(storage).backups()).as("the full catalog agrees")
                .filteredOn(BackupCatalog.Entry::good)
                .filteredOn(entry -> entry.manifest().database().equals("athanor")
                        && entry.manifest().server().equals(SERVER))
                .first().isEqualTo(previous.get());
        assertThat(BackupCatalog.newestGoodOf(storage, "nowhere", SERVER)).isEmpty();
        assertThat(BackupCatalog.newestGoodOf(new DirectoryStorage(temp.resolve("empty")), "athanor", SERVER))
                .isEmpty();
    }

    @Test
    void aMatchingManifestWithoutItsArchiveIsAnErrorNotNoPreviousBackup() throws Exception {
        DirectoryStorage storage = new DirectoryStorage(temp.resolve("damaged"));
        store(storage, START.minus(Duration.ofDays(1)), "athanor", SERVER, 1000);
        BackupId newest = store(storage, START, "athanor", SERVER, 1000);
        storage.delete(newest.archive(false));

        assertThatThrownBy(() -> BackupCatalog.newestGoodOf(storage, "athanor", SERVER))
                .isInstanceOf(BackupException.class)
                .hasMessage(newest.manifest() + " names the archive " + newest.archive(false)
                        + ", which is missing from " + storage.describe());
    }

    private static BackupId store(BackupStorage storage, Instant startedAt, String database, String server,
            long bytes) throws Exception {
        BackupId id = new BackupId(startedAt, BackupKind.DAILY);
        storage.put(id.archive(false), new byte[16]);
        storage.put(id.manifest(), BackupJson.write(new BackupManifest(BackupManifest.FORMAT, id.toString(),
                BackupKind.DAILY, database, server, "15.15", "15.15", startedAt, startedAt.plusSeconds(40),
                id.archive(false), bytes, "00", null, Map.of("public.lessons", 3L), List.of())));
        return id;
    }

    private static void verify(BackupStorage storage, BackupId id, boolean passed) throws Exception {
        storage.put(id.verification(), BackupJson.write(new BackupVerification(id.toString(), START, passed,
                passed ? "1 table, 3 rows, as in the manifest" : "public.lessons has 2 rows, the manifest 3")));
    }

    /** A real storage that records the names of the small objects read from it, and lists oldest first. */
    private static final class ReadCounting implements BackupStorage {
        private final BackupStorage storage;
        final List<String> reads = new ArrayList<>();

        ReadCounting(BackupStorage storage) {
            this.storage = storage;
        }

        @Override
        public StorageUpload upload(String name) throws StorageException {
            return storage.upload(name);
        }

        @Override
        public void put(String name, byte[] content) throws StorageException {
            storage.put(name, content);
        }

        @Override
        public Optional<byte[]> get(String name) throws StorageException {
            reads.add(name);
            return storage.get(name);
        }

        @Override
        public InputStream open(String name) throws StorageException {
            return storage.open(name);
        }

        @Override
        public List<dev.athanor.backup.storage.UnfinishedUpload> unfinished() throws StorageException {
            return storage.unfinished();
        }

        @Override
        public void discard(dev.athanor.backup.storage.UnfinishedUpload upload) throws StorageException {
            storage.discard(upload);
        }

        /** Oldest first, whatever order the storage lists in: a lookup that forgot to sort would read the oldest. */
        @Override
        public List<StoredObject> list() throws StorageException {
            return storage.list().stream().sorted(Comparator.comparing(StoredObject::name)).toList();
        }

        @Override
        public void checkAccess() throws StorageException {
            storage.checkAccess();
        }

        @Override
        public void delete(String name) throws StorageException {
            storage.delete(name);
        }

        @Override
        public String describe() {
            return storage.describe();
        }

        @Override
        public void close() {
            storage.close();
        }
    }
}
