package dev.athanor.ops.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.ops.testing.MachinePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed drill left running in its scratch directory is stopped before the directory goes; nothing else is. */
class LeftoverServerTest {

    @TempDir
    Path temp;

    @Test
    void aServerLeftInTheDirectoryIsStopped() throws Exception {
        assumeTrue(MachinePostgres.root(), "the machine's PostgreSQL runs as postgres: the test must run as root");
        MachinePostgres postgres = MachinePostgres.create("leftover").start();
        long pid = Long.parseLong(Files.readAllLines(postgres.dataDirectory().resolve("postmaster.pid")).get(0)
                .strip());
        try {
            SiteRestore.stopLeftover(postgres.dataDirectory());

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
        } finally {
            if (ProcessHandle.of(pid).isPresent()) {
                postgres.close();
            }
        }
    }

    @Test
    void aPidFileNamingAnotherProgramStopsNothing() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(temp.resolve("postmaster.pid"), sleeper.pid() + "\n" + temp + "\n");

            SiteRestore.stopLeftover(temp);

            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
