package dev.athanor.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.backup.AlertSink;
import dev.athanor.testing.ArchivingCluster;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code pitr-watch}'s alerts on a real PostgreSQL whose pushes fail, then go through. */
class ArchiveWatchTest {

    private final List<String> said = new ArrayList<>();
    private final AlertSink alerts = new AlertSink() {
        @Override
        public void raise(String key, String subject, String body) {
            said.add("raise " + key + ": " + subject);
        }

        @Override
        public void resolve(String key, String subject, String body) {
            said.add("resolve " + key + ": " + subject);
        }
    };

    @Test
    void aFailingPushAndTheLagAreAlertedUnderTheirKeysAndResolvedWhenOver() throws Exception {
        ArchiveWatch watch = new ArchiveWatch(alerts, Duration.ofSeconds(1));
        try (ArchivingCluster cluster = ArchivingCluster.start("archive-watch")) {
            assertThat(judge(cluster, watch)).as("archiving off").isEmpty();
            assertThat(said).containsExactly("resolve pitr-push: Point-in-time recovery: archiving works again",
                    "resolve pitr-lag: Point-in-time recovery: the archive caught up");

            cluster.archive();
            cluster.failPushes();
            cluster.writeAndSwitch();
            Instant deadline = Instant.now().plusSeconds(30);
            Optional<String> problem = judge(cluster, watch);
            while (said.stream().noneMatch(line -> line.startsWith("raise pitr-lag"))) {
                assertThat(Instant.now()).as(said.toString()).isBefore(deadline);
                Thread.sleep(200);
                problem = judge(cluster, watch);
            }
            assertThat(problem).hasValueSatisfying(text -> assertThat(text).contains("failed", "the archive lags"));
            assertThat(said).anyMatch(line -> line.matches("raise pitr-push: Point-in-time recovery: archiving"
                    + " [0-9A-F]{24} fails"));

            said.clear();
            cluster.letPushesThrough();
            cluster.writeAndSwitch();
            deadline = Instant.now().plusSeconds(30);
            while (judge(cluster, watch).isPresent()) {
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(200);
            }
            assertThat(said.subList(said.size() - 2, said.size())).containsExactly(
                    "resolve pitr-push: Point-in-time recovery: archiving works again",
                    "resolve pitr-lag: Point-in-time recovery: the archive caught up");
        }
    }

    private static Optional<String> judge(ArchivingCluster cluster, ArchiveWatch watch) throws Exception {
        try (Connection connection = cluster.connect()) {
            return watch.judge(ArchiveStatus.read(connection));
        }
    }
}
