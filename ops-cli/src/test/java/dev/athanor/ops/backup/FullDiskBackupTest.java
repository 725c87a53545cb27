package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
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
        mountSmallTmpfs(backups);
        try {
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
        } finally {
            run("umount", backups.toString());
        }
    }

    private static void mountSmallTmpfs(Path directory) throws IOException, InterruptedException {
        String refusal = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", directory.toString());
        Assumptions.assumeTrue(refusal.isEmpty(), () -> "skipped: the full-disk drill mounts a 2 MB tmpfs as the"
                + " backup directory, and mount was refused here (it needs root or CAP_SYS_ADMIN): " + refusal);
    }

    /** Runs a command; empty when it exited 0, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not end within 30 s";
        }
        return process.exitValue() == 0 ? "" : String.join(" ", command) + " exited " + process.exitValue() + ": "
                + (output.isEmpty() ? "(no output)" : output);
    }
}
