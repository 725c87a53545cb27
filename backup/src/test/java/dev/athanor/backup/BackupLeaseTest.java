package dev.athanor.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A lease's owner is alive while its process runs on this machine (a killed one is seen at once, a later process
 * with its pid is not taken for it, a restart ends every lease), and, from another machine, while it is renewed.
 */
class BackupLeaseTest {

    private static final Instant NOW = Instant.parse("2026-12-06T03:30:00Z");
    private static final BackupId ID = new BackupId(NOW, BackupKind.DAILY);

    @Test
    void thisProcessHoldsItsLease() {
        assertThat(BackupLease.ofThisProcess(ID, NOW).ownerAlive(NOW.plus(Duration.ofHours(3)))).isTrue();
    }

    @Test
    void aProcessThatEndedHoldsNothingHoweverFreshItsLease() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        BackupLease mine = BackupLease.ofThisProcess(ID, NOW);

        BackupLease lease = new BackupLease(mine.id(), mine.host(), mine.boot(), ended.pid(), mine.processStarted(),
                NOW);

        assertThat(lease.ownerAlive(NOW)).isFalse();
    }

    @Test
    void aLaterProcessWithTheSamePidOrAnotherBootIsNotTheOwner() {
        BackupLease mine = BackupLease.ofThisProcess(ID, NOW);

        assertThat(new BackupLease(mine.id(), mine.host(), mine.boot(), mine.pid(),
                mine.processStarted().minus(Duration.ofMinutes(10)), NOW).ownerAlive(NOW)).isFalse();
        if (!mine.boot().isEmpty()) {
            assertThat(new BackupLease(mine.id(), mine.host(), "an-earlier-boot", mine.pid(), mine.processStarted(),
                    NOW).ownerAlive(NOW)).isFalse();
        }
    }

    @Test
    void anotherMachinesLeaseHoldsWhileItIsRenewed() {
        BackupLease elsewhere = new BackupLease(ID.toString(), "another-host.invalid", "", 1, NOW, NOW);

        assertThat(elsewhere.ownerAlive(NOW.plus(Duration.ofMinutes(4)))).isTrue();
        assertThat(elsewhere.ownerAlive(NOW.plus(Duration.ofMinutes(6)))).isFalse();
    }
}
