package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.SmallDisk;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The full-disk drill (issue 18; CI runs it): {@code ops backup run} into a backup directory on a 2 MB tmpfs, with a
 * dump of several megabytes, exits 74 (README: a file or the backup storage cannot be read or written) saying that no
 * space is left and nothing was kept, and leaves no partial dump nor anything that looks like a backup. Needs to mount
 * a tmpfs (root, or CAP_SYS_ADMIN); where that is refused, the test is skipped and says why.
 */
class FullDiskBackupTest {

    @Test
    void aBackupToAFullDiskExits74AndLeavesNothingThatLooksLikeABackup() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Databases.execute(database, "CREATE TABLE lessons (id int PRIMARY KEY, body text)",
                "INSERT INTO lessons SELECT i, md5(random()::text) || md5(random()::text)"
                        + " FROM generate_series(1, 200000) i");
        Path directory = TestPostgres.newDirectory("full-disk");
        Path backups = Files.createDirectories(directory.resolve("backups"));
        Path config = TestConfig.on(database, directory).write(directory);
        try (SmallDisk disk = SmallDisk.mount(backups, "the full-disk drill")) {
            OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(74);
            assertThat(run.err().lines()).singleElement().asString()
                    .matches("ops: backup \\S+-manual failed: could not write \\S+\\.dump\\.partial:"
                            + " No space left on device; nothing was kept");
            try (Stream<Path> files = Files.list(backups)) {
                List<String> names = files.map(file -> file.getFileName().toString()).toList();
                assertThat(names).as("no partial dump, archive, manifest or lease; a failure record at most")
                        .allMatch(name -> name.endsWith(".failed.json"));
            }
            OpsRun list = OpsRun.of("backup", "list", "--config", config.toString());
            assertThat(list.out()).startsWith("No backups in");
        }
    }
}
