package dev.athanor.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool that busy requests have emptied is not an outage: readiness stays 200, while the waits that ran out are
 * counted in the metrics and turn the {@code database-pool} warning on the admin port. The pool here has two
 * connections; two searches hold them, waiting on a table this test has locked, the way expensive queries would.
 */
class BusyPoolTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(() -> DATABASE,
            ConfigOverride.config("database.maxSize", "2"),
            ConfigOverride.config("database.maxWaitForConnection", "300ms"),
            ConfigOverride.config("content.searchTimeout", "60s"));

    @Test
    void aBusyPoolKeepsTheSiteReadyAndShowsAsAWarning() throws Exception {
        String site = "http://127.0.0.1:" + SITE.getLocalPort();
        String admin = "http://127.0.0.1:" + SITE.getAdminPort();
        long timeoutsBefore = count(Http.get(admin + "/prometheus").body(),
                "dev_athanor_platform_db_site_pool_database_timeouts_total");

        List<Integer> readiness = new ArrayList<>();
        try (Connection locker = DATABASE.connect(); Statement statement = locker.createStatement()) {
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE article IN ACCESS EXCLUSIVE MODE");
            // Threads of their own: the common pool may have a single thread on a small machine, and run them in turn.
            ExecutorService searchers = Executors.newCachedThreadPool();
            List<CompletableFuture<HttpResponse<String>>> holding = holdBothConnections(site, searchers);
            searchers.shutdown();
            // both connections are now held: a third search waits 300 ms for one in vain
            assertThat(Http.get(site + "/search?q=third").statusCode()).isNotEqualTo(200);
            // readiness is decided every second, and two failures in a row would turn it 503
            for (int i = 0; i < 16; i++) {
                readiness.add(Http.get(site + "/health").statusCode());
                Thread.sleep(250);
            }
            locker.rollback();
            assertThat(holding).allSatisfy(search -> assertThat(search.join().statusCode()).isEqualTo(200));
        }

        assertThat(readiness).as("readiness while every pooled connection is busy").containsOnly(200);
        assertThat(count(Http.get(admin + "/prometheus").body(),
                "dev_athanor_platform_db_site_pool_database_timeouts_total")).isGreaterThan(timeoutsBefore);
        assertThat(Http.get(admin + "/prometheus").body())
                .contains("dev_athanor_platform_db_site_pool_database_wait_seconds_count");
        HttpResponse<String> checks = Http.get(admin + "/healthcheck");
        assertThat(checks.body()).contains("\"database-pool\":{\"healthy\":false")
                .contains("found all 2 database connections busy for 300 ms in the last 5 min")
                .contains("\"database\":{\"healthy\":true");
        assertThat(Http.get(site + "/health").statusCode()).isEqualTo(200);
    }

    /**
     * Two searches waiting on the locked table, holding both pooled connections. A search that found a connection
     * taken meanwhile by one of the scheduled health checks (they run once a minute) gives up after 300 ms; another
     * takes its place.
     */
    private static List<CompletableFuture<HttpResponse<String>>> holdBothConnections(String site,
            ExecutorService searchers) throws InterruptedException {
        List<CompletableFuture<HttpResponse<String>>> holding = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int started = 0;
        while (DATABASE.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE '%websearch_to_tsquery%'") < 2) {
            assertThat(System.nanoTime()).as("2 searches waiting on the locked table").isLessThan(deadline);
            holding.removeIf(CompletableFuture::isDone);
            while (holding.size() < 2) {
                String query = "/search?q=holding" + started++;
                holding.add(CompletableFuture.supplyAsync(() -> Http.get(site + query), searchers));
            }
            Thread.sleep(50);
        }
        return holding;
    }

    private static long count(String scrape, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " ([0-9.E]+)").matcher(scrape);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }
}
