package dev.athanor.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.testing.ArchivingCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The admin page's {@code archive} check on a real PostgreSQL: off is healthy, a failing or lagging push is not. */
class ArchiveHealthCheckTest {

    @Test
    void healthyWhenOffUnhealthyWhileFailingOrLaggingHealthyAgainOnceThrough() throws Exception {
        try (ArchivingCluster cluster = ArchivingCluster.start("archive-health")) {
            HealthCheck.Result off = check(cluster, Duration.ofMinutes(5));
            assertThat(off.isHealthy()).isTrue();
            assertThat(off.getMessage()).isEqualTo("archiving off");

            cluster.archive();
            cluster.failPushes();
            cluster.writeAndSwitch();
            HealthCheck.Result failing = await(cluster, Duration.ofMinutes(5), result -> !result.isHealthy());
            assertThat(failing.getMessage()).matches("archiving [0-9A-F]{24} failed .* ago \\(\\d+ failure\\(s\\).*")
                    .doesNotContain("lags");
            Thread.sleep(1200);
            assertThat(check(cluster, Duration.ofSeconds(1)).getMessage()).as("the lag too, beyond a second")
                    .contains("the archive lags ", "segment(s) waiting, the oldest ");

            cluster.letPushesThrough();
            cluster.writeAndSwitch();
            HealthCheck.Result through = await(cluster, Duration.ofSeconds(1), result -> result.isHealthy()
                    && result.getMessage().startsWith("nothing waiting"));
            assertThat(through.getMessage()).matches("nothing waiting; last archived [0-9A-F]{24} .* ago");
        }
    }

    @Test
    void isScheduledAsANonCriticalCheck() {
        assertThat(SiteHealth.defaults().getHealthCheckConfigurations()).anySatisfy(check -> {
            assertThat(check.getName()).isEqualTo(BackupHealthChecks.ARCHIVE_CHECK).isEqualTo("archive");
            assertThat(check.isCritical()).isFalse();
        });
    }

    private static HealthCheck.Result check(ArchivingCluster cluster, Duration lagAlert) {
        return new ArchiveHealthCheck(cluster.database().dataSource(), lagAlert).execute();
    }

    private static HealthCheck.Result await(ArchivingCluster cluster, Duration lagAlert,
            Predicate<HealthCheck.Result> wanted) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        HealthCheck.Result result = check(cluster, lagAlert);
        while (!wanted.test(result)) {
            assertThat(Instant.now()).as("last: %s", result.getMessage()).isBefore(deadline);
            Thread.sleep(200);
            result = check(cluster, lagAlert);
        }
        return result;
    }
}
