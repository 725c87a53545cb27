package dev.athanor.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /health} for uptime monitors: readiness follows the database, liveness does not, the body gives nothing
 * away, and answers come from the scheduled checks, so they stay fast while the database is gone.
 */
class HealthEndpointTest {

    private static final int PORT = TestPostgres.freePort();
    private static final EmbeddedPostgres POSTGRES = TestPostgres.dedicated("health", PORT);
    private static final TestDatabase DATABASE = start();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(() -> DATABASE);

    @AfterAll
    static void stopPostgres() throws Exception {
        POSTGRES.stop();
    }

    @Test
    void readinessFollowsTheDatabaseAndLivenessDoesNot() throws Exception {
        String ready = "http://127.0.0.1:" + SITE.getLocalPort() + "/health";
        String alive = ready + "?type=alive";
        String admin = "http://127.0.0.1:" + SITE.getAdminPort() + "/healthcheck";

        HttpResponse<String> up = Http.get(ready);
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(up.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(Http.head(ready).statusCode()).isEqualTo(200);

        POSTGRES.stop();
        assertThat(Http.awaitStatus(ready, 503, Duration.ofSeconds(10)))
                .as("readiness turns 503 within a few seconds of the database stopping").isTrue();

        List<HttpResponse<String>> during = concurrently(40, () -> Http.get(ready));
        assertThat(during).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("{\"status\":\"down\"}").hasSizeLessThan(200);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        });
        assertThat(Http.head(ready).statusCode()).isEqualTo(503);
        assertThat(Http.get(alive).statusCode()).as("a database outage is no reason to restart the site")
                .isEqualTo(200);
        HttpResponse<String> details = Http.get(admin);
        assertThat(details.statusCode()).isEqualTo(500);
        assertThat(details.body()).contains("\"database\":{\"healthy\":false");

        POSTGRES.acquire();
        assertThat(Http.awaitStatus(ready, 200, Duration.ofSeconds(15)))
                .as("readiness recovers without restarting the site").isTrue();
        assertThat(Http.get(alive).statusCode()).isEqualTo(200);
        assertThat(Http.awaitStatus(admin, 200, Duration.ofSeconds(15))).isTrue();
    }

    @Test
    void thePublicAnswerNamesNoChecksVersionsOrHosts() {
        HttpResponse<String> response = Http.get("http://127.0.0.1:" + SITE.getLocalPort() + "/health");

        assertThat(response.body()).doesNotContain("database", "migrations", "disk", "deadlocks", "127.0.0.1",
                "jetty", "version");
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    /** Sends {@code count} requests at once, each bounded by the client's timeout, so a hang fails the test. */
    private static <T> List<T> concurrently(int count, Callable<T> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<T>> futures = pool.invokeAll(java.util.Collections.nCopies(count, request));
            List<T> results = new java.util.ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static TestDatabase start() {
        try {
            DatabaseServer server = POSTGRES.acquire();
            return new TestDatabase(server.jdbcUrl(), server.user(), server.password());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
