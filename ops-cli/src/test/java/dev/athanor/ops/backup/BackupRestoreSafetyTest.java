package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A restore never harms its target: a flipped byte in a stored archive makes verify and restore fail with a clear
 * message before any database is touched (and verify records the backup as failed); a database that is not empty is
 * refused without --force, and restored over with it.
 */
class BackupRestoreSafetyTest {

    @Test
    void aFlippedByteFailsVerifyAndRestoreAndTouchesNoDatabase() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("flipped-byte");
        Path config = TestConfig.on(source, directory).write(directory);
        String id = backup(config);
        Path archive = directory.resolve("backups").resolve(id + ".dump");
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int original = file.read();
            file.seek(middle);
            file.write(original ^ 0x10);
        }
        long databasesBefore = Databases.queryLong(source, "SELECT count(*) FROM pg_database");

        OpsRun verify = OpsRun.of("backup", "verify", id, "--config", config.toString());

        assertThat(verify.exitCode()).isEqualTo(65);
        assertThat(verify.err().lines()).singleElement().asString()
                .startsWith("ops: " + id + ".dump is damaged: its SHA-256 is ").endsWith("nothing was restored");
        assertThat(Databases.queryLong(source, "SELECT count(*) FROM pg_database"))
                .as("no scratch database was created or left").isEqualTo(databasesBefore);
        assertThat(OpsRun.of("backup", "list", "--config", config.toString()).out()).contains("FAILED, ");

        TestDatabase target = TestPostgres.shared().createDatabase();
        OpsRun restore = OpsRun.of("backup", "restore", id, "--to", Databases.url(target), "--config",
                config.toString());

        assertThat(restore.exitCode()).isEqualTo(65);
        assertThat(restore.err()).contains(id + ".dump is damaged").contains("nothing was restored");
        assertThat(Databases.queryLong(target, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
                + " AND n.nspname NOT LIKE 'pg_toast%'")).as("the target database is untouched").isZero();
    }

    @Test
    void aDatabaseThatIsNotEmptyIsRefusedWithoutForce() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("non-empty");
        Path config = TestConfig.on(source, directory).write(directory);
        String id = backup(config);
        TestDatabase target = TestPostgres.shared().createDatabase();
        Databases.execute(target, "CREATE TABLE precious (id int)", "INSERT INTO precious VALUES (1), (2)");

        OpsRun refused = OpsRun.of("backup", "restore", id, "--to", Databases.url(target), "--config",
                config.toString());

        assertThat(refused.exitCode()).isEqualTo(73);
        assertThat(refused.err().lines()).singleElement().asString().contains("is not empty (1 tables,")
                .contains("pass --force");
        assertThat(Databases.queryLong(target, "SELECT count(*) FROM precious")).isEqualTo(2);
        assertThat(Databases.queryLong(target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'")).isZero();

        OpsRun forced = OpsRun.of("backup", "restore", id, "--to", Databases.url(target), "--force", "--config",
                config.toString());

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Databases.checksums(target)).containsAllEntriesOf(Databases.checksums(source));
        assertThat(Databases.queryLong(target, "SELECT count(*) FROM precious")).as("what the backup does not"
                + " hold stays").isEqualTo(2);

        OpsRun again = OpsRun.of("backup", "restore", id, "--to", Databases.url(target), "--force", "--config",
                config.toString());
        assertThat(again.exitCode()).as("a second forced restore replaces the first: " + again.err()).isZero();
        assertThat(Databases.checksums(target)).containsAllEntriesOf(Databases.checksums(source));
    }

    @Test
    void unknownBackupsAndBadUrlsAreOneLineErrors() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Path directory = TestPostgres.newDirectory("bad-input");
        Path config = TestConfig.on(source, directory).write(directory);

        OpsRun unknown = OpsRun.of("backup", "restore", "20200101T000000Z-daily", "--to", Databases.url(source),
                "--config", config.toString());
        OpsRun badUrl = OpsRun.of("backup", "restore", "x", "--to", "mysql://nope", "--config", config.toString());
        OpsRun badKind = OpsRun.of("backup", "run", "--kind", "hourly", "--config", config.toString());

        assertThat(unknown.exitCode()).isEqualTo(66);
        assertThat(unknown.err().lines()).singleElement().asString()
                .contains("no complete backup 20200101T000000Z-daily");
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err().lines()).singleElement().asString().contains("is not a database URL");
        assertThat(badKind.exitCode()).isEqualTo(2);
        assertThat(badKind.err()).contains("--kind must be daily, weekly, manual or pre-deploy, not \"hourly\"");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString())).doesNotContain("backups");
        }
    }

    private static String backup(Path config) {
        OpsRun run = OpsRun.of("backup", "run", "--json", "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1").strip();
    }
}
