package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.api.ApiTokens;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.Http;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database drill (issue 18, one of the fast drills CI runs): a PostgreSQL of this test's own is stopped for several
 * seconds under two nodes of the site, and started again. Cached pages answer 200 throughout (on the second node,
 * whose page lifetime is one second, past their lifetime), pages that need the database answer 503 with
 * {@code Retry-After} and the site's page (HTML, JSON, the API's JSON, sign-in and account pages alike), nothing
 * answers 5xx once it is back, a change the node missed is dropped when it listens again while unchanged pages stay
 * cached, and some 300 failed requests leave one WARN and one INFO per node in the log, not a stack trace each.
 */
class DatabaseOutageTest {

    private static final int PORT = TestPostgres.freePort();
    private static final EmbeddedPostgres POSTGRES = TestPostgres.dedicated("outage", PORT);
    private static final Path LOG = TestPostgres.newDirectory("outage-logs").resolve("app.log");
    private static DatabaseServer server;
    private static TestDatabase database;
    private static DropwizardTestSupport<AthanorConfiguration> node;
    private static DropwizardTestSupport<AthanorConfiguration> shortLived;

    @BeforeAll
    static void start() throws Exception {
        server = POSTGRES.acquire();
        database = new TestDatabase(server.jdbcUrl(), server.user(), server.password());
        node = TestApp.support(TestSite.class, () -> database, overrides(List.of()));
        shortLived = TestApp.support(TestSite.class, () -> database,
                overrides(List.of(ConfigOverride.config("site.pageCacheLifetime", "1s"))));
        node.before();
        shortLived.before();
    }

    /** The production log (INFO, JSON lines in a file) and short pool waits; both nodes write the same file. */
    private static ConfigOverride[] overrides(List<ConfigOverride> more) {
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("database.maxWaitForConnection", "500ms"),
                ConfigOverride.config("logging.level", "INFO"),
                ConfigOverride.config("logging.appenders[0].type", "file"),
                ConfigOverride.config("logging.appenders[0].threshold", "INFO"),
                ConfigOverride.config("logging.appenders[0].currentLogFilename", LOG.toString()),
                ConfigOverride.config("logging.appenders[0].archive", "false"),
                ConfigOverride.config("logging.appenders[0].layout.type", "json")));
        all.addAll(more);
        return all.toArray(new ConfigOverride[0]);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (shortLived != null) {
                shortLived.after();
            }
            if (node != null) {
                node.after();
            }
        } finally {
            server.close();
            POSTGRES.stop();
        }
    }

    @Test
    void theSiteRidesOutADatabaseStop() throws Exception {
        Path folder = TestPostgres.newDirectory("outage-content");
        ContentFolderBuilder.in(folder)
                .article("kept.md", "title: Kept\nslug: kept\npublished: 2026-01-01\n", "Kept, first version.")
                .article("changed.md", "title: Changed\nslug: changed\npublished: 2026-01-01\n",
                        "Changed, first version.")
                .article("uncached.md", "title: Uncached\nslug: uncached\npublished: 2026-01-01\n", "Never asked.")
                .course("uncached-course", "Never Asked", "2026-01-01", "first")
                .lesson("uncached-course", "1", "title: First\nslug: first\n", "A lesson never asked for.");
        ((TestSite) node.getApplication()).content().importFolder(folder, false);
        String site = "http://127.0.0.1:" + node.getLocalPort();
        String other = "http://127.0.0.1:" + shortLived.getLocalPort();
        List<String> cached = List.of(site + "/", site + "/articles", site + "/articles/kept",
                site + "/articles/changed", other + "/articles/kept");
        for (String url : cached) {
            assertThat(Http.get(url).statusCode()).as(url).isEqualTo(200);
        }
        Browser learner = Browser.at(site);
        assertThat(learner.post("/signup", "email", "outage@example.com", "password", "a long passphrase")
                .statusCode()).isEqualTo(200);
        assertThat(learner.post("/login", "email", "outage@example.com", "password", "a long passphrase")
                .statusCode()).isEqualTo(303);
        assertThat(learner.get("/account").statusCode()).isEqualTo(200);
        long learnerId = Learners.create(database, "api@example.com");
        Learners.entitle(database, learnerId, null);
        String token = new ApiTokens(Database.jdbi(database.dataSource())).create(learnerId, ApiTokens.Kind.API,
                "outage").orElseThrow().token();
        assertThat(Http.get(site + "/api/v1/courses", "Authorization", "Bearer " + token).statusCode())
                .isEqualTo(200);
        // Changes this node is never told of: one announced only by its row (its NOTIFY lost), as when it commits
        // while the node is not listening; one not announced at all, which must not show while the page is cached.
        database.execute("UPDATE article SET body_markdown = 'Changed, second version.' WHERE slug = 'changed'");
        database.execute("INSERT INTO page_changes (keys) VALUES ('article:changed')");
        database.execute("UPDATE article SET body_markdown = 'Kept, second version.' WHERE slug = 'kept'");
        long logBefore = Files.size(LOG);

        POSTGRES.stop();
        long stopped = System.nanoTime();
        Thread.sleep(1100); // the second node's pages are now past their one-second lifetime
        for (String url : cached) {
            HttpResponse<String> page = Http.get(url);
            assertThat(page.statusCode()).as("cached " + url + " while the database is down").isEqualTo(200);
            assertThat(page.body()).doesNotContain("second version");
        }
        assertUnavailable(Http.get(site + "/articles/uncached"), "text/html");
        assertThat(Http.get(site + "/articles/uncached").body()).contains("briefly unavailable");
        assertUnavailable(Http.get(site + "/courses/uncached-course/first"), "text/html");
        assertUnavailable(Http.get(site + "/courses/uncached-course"), "text/html");
        assertUnavailable(Http.get(site + "/articles/uncached", "Accept", "application/json, text/html;q=0.5"), "application/json");
        assertUnavailable(Http.get(site + "/api/v1/courses", "Authorization", "Bearer " + token),
                "application/json");
        HttpResponse<String> signIn = learner.post("/login", "email", "outage@example.com", "password", "wrong");
        assertUnavailable(signIn, "text/html");
        assertThat(signIn.body()).doesNotContainIgnoringCase("password");
        assertUnavailable(learner.post("/signup", "email", "later@example.com", "password", "a long passphrase"),
                "text/html");
        assertUnavailable(learner.get("/account"), "text/html");

        List<Integer> failures = concurrently(300, () -> Http.get(site + "/articles/uncached").statusCode());
        assertThat(failures).containsOnly(503);
        while (System.nanoTime() - stopped < Duration.ofSeconds(6).toNanos()) {
            assertThat(Http.get(site + "/articles/kept").statusCode()).isEqualTo(200);
            Thread.sleep(200);
        }

        server = POSTGRES.acquire();
        assertThat(Http.awaitStatus(site + "/articles/uncached", 200, Duration.ofSeconds(20)))
                .as("uncached pages come back without a restart").isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                Http.get(site + "/articles/changed").body()).as("the missed change is dropped on reconnect")
                .contains("Changed, second version."));
        assertThat(Http.get(site + "/articles/kept").body()).as("unchanged pages stay cached")
                .contains("Kept, first version.");
        // the second node reconnects on its own schedule: until it does, it keeps serving its stale copy
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                Http.get(other + "/articles/kept").body()).as("past its lifetime, rendered again")
                .contains("Kept, second version."));
        List<String> everything = new ArrayList<>(cached);
        everything.add(site + "/articles/uncached");
        for (int round = 0; round < 20; round++) {
            for (String url : everything) {
                assertThat(Http.get(url).statusCode()).as("no 5xx once the database is back: " + url)
                        .isEqualTo(200);
            }
        }
        assertThat(learner.get("/account").statusCode()).as("the session outlived the outage").isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(logSince(logBefore),
                "Database reachable again") == 2);
        String log = logSince(logBefore);
        assertThat(log.length()).as("bytes of log for the outage (300+ failed requests)").isLessThan(100_000);
        assertThat(count(log, "Database unreachable: ")).as("one WARN per node\n" + log).isEqualTo(2);
        assertThat(log).containsPattern("Database reachable again after \\d+\\.\\d s: 3\\d\\d request\\(s\\) answered"
                + " 503");
        assertThat(count(log, "ExceptionMapper")).as("no request logged a stack trace of its own\n" + log).isZero();
        System.out.printf("database outage drill: %d bytes of log for %d failed requests%n", log.length(),
                failures.size());
    }

    private static void assertUnavailable(HttpResponse<String> response, String type) {
        assertThat(response.statusCode()).as(response.uri() + "\n" + response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains(
                Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(type);
        if (type.equals("application/json")) {
            assertThat(response.body()).startsWith("{\"error\":{\"code\":\"service_unavailable\"");
        } else {
            assertThat(response.body()).contains("Back in a moment").contains("Test Academy");
        }
    }

    private static <T> List<T> concurrently(int requests, java.util.concurrent.Callable<T> request)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(pool.submit(request));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String logSince(long offset) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(LOG);
        return new String(bytes, (int) offset, bytes.length - (int) offset, StandardCharsets.UTF_8);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
