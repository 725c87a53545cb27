package dev.athanor.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.ArchivingCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive's standing on a real PostgreSQL whose archive_command fails while a flag file exists: the lag grows and
 * the failure shows while it fails, and both clear once it succeeds.
 */
class ArchiveStatusTest {

    private static ArchivingCluster cluster;

    @BeforeAll
    static void startWithArchivingOn() throws Exception {
        cluster = ArchivingCluster.start("archive-status");
        try (Connection connection = cluster.connect()) {
            ArchiveStatus off = ArchiveStatus.read(connection);
            assertThat(off.archiving()).isFalse();
            assertThat(off.describe()).isEqualTo("archiving off");
            assertThat(off.problem(Duration.ZERO)).isEmpty();
        }
        cluster.archive();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aFailingArchiveCommandShowsAsFailingWithAGrowingLagAndBothClearWhenItSucceeds() throws Exception {
        cluster.failPushes();
        try (Connection connection = cluster.connect()) {
            cluster.writeAndSwitch();
            ArchiveStatus failing = awaitStatus(connection, status -> status.failing() && status.waiting() > 0);
            assertThat(failing.archiving()).isTrue();
            assertThat(failing.backlogUnreadable()).isEmpty();
            assertThat(failing.lastFailedWal()).isPresent();
            assertThat(failing.oldestReady()).isEqualTo(failing.lastFailedWal());
            Thread.sleep(1500);
            ArchiveStatus later = ArchiveStatus.read(connection);
            assertThat(later.lag()).as("the lag grows while the push fails").isGreaterThan(failing.lag())
                    .isGreaterThan(Duration.ofSeconds(1));
            assertThat(later.lagging(Duration.ofSeconds(1))).isTrue();
            assertThat(later.lagging(Duration.ofMinutes(5))).isFalse();
            assertThat(later.problem(Duration.ofMinutes(5))).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("archiving " + later.lastFailedWal().get() + " failed")
                    .doesNotContain("the archive lags"));
            assertThat(later.problem(Duration.ofSeconds(1))).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("the archive lags ", "the oldest " + later.oldestReady().get()));
            assertThat(later.describe()).contains("FAILING", later.lastFailedWal().get());

            cluster.letPushesThrough();
            cluster.writeAndSwitch(); // a new segment wakes the archiver from its back-off
            ArchiveStatus clear = awaitStatus(connection, status -> !status.failing() && status.waiting() == 0);
            assertThat(clear.lag()).isZero();
            assertThat(clear.problem(Duration.ofSeconds(1))).isEmpty();
            assertThat(clear.lastArchivedWal()).isPresent();
            assertThat(cluster.archiveDirectory().resolve(clear.lastArchivedWal().get())).exists();
            assertThat(cluster.archiveDirectory().resolve(failing.lastFailedWal().get())).as("the failed one got through").exists();
            assertThat(clear.describe()).startsWith("nothing waiting; last archived " + clear.lastArchivedWal().get());
        }
    }

    @Test
    void aUserWhoMayNotListTheArchiveStatusIsToldSoAndStillSeesFailures() throws Exception {
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP ROLE IF EXISTS watcher");
            statement.execute("CREATE ROLE watcher LOGIN PASSWORD 'watcher'");
        }
        try (Connection connection = DriverManager.getConnection(cluster.server().jdbcUrl(), "watcher", "watcher")) {
            connection.setAutoCommit(false);
            ArchiveStatus status = ArchiveStatus.read(connection);
            assertThat(status.archiving()).isTrue();
            assertThat(status.backlogUnreadable()).hasValueSatisfying(why -> assertThat(why)
                    .contains("permission denied", "grant pg_monitor to watcher"));
            assertThat(status.lag()).isZero();
            assertThat(status.describe()).startsWith("the segments waiting to be archived cannot be listed");
            assertThat(connection.createStatement().executeQuery("SELECT 1").next())
                    .as("the transaction is still usable").isTrue();
        }
    }

    private static ArchiveStatus awaitStatus(Connection connection, Predicate<ArchiveStatus> wanted)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        ArchiveStatus status = ArchiveStatus.read(connection);
        while (!wanted.test(status)) {
            assertThat(Instant.now()).as("waited for the archiver; last seen: %s", status).isBefore(deadline);
            Thread.sleep(200);
            status = ArchiveStatus.read(connection);
        }
        return status;
    }
}
