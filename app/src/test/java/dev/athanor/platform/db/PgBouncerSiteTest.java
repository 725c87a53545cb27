package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPgBouncer;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The site behind Debian's PgBouncer in transaction mode ({@code database.url}) with {@code database.directUrl} to
 * the server: the signed-in flows work under concurrency through the pooler, and a content change still drops cached
 * pages (NOTIFY through the pooler, LISTEN directly). Without {@code prepareThreshold=0} the pooled path breaks.
 */
class PgBouncerSiteTest {

    private static final String PASSWORD = "a quiet walk along the canal";
    private static final String LESSON = "/courses/pooled/first";
    private static final int POOLER_SERVER_CONNECTIONS = 3;
    private static TestDatabase database;
    private static TestPgBouncer bouncer;
    private static DropwizardTestSupport<AthanorConfiguration> site;
    private static Path content;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestPgBouncer.installed(), "pgbouncer is not installed (./dev installs it)");
        database = TestPostgres.shared().createDatabase();
        int serverPort = Integer.parseInt(database.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        bouncer = TestPgBouncer.start(serverPort, database.user(), database.password(), POOLER_SERVER_CONNECTIONS);
        String name = database.jdbcUrl().substring(database.jdbcUrl().lastIndexOf('/') + 1);
        TestDatabase pooled = new TestDatabase(bouncer.jdbcUrl(name), database.user(), database.password());
        site = TestApp.support(TestSite.class, () -> pooled,
                ConfigOverride.config("database.directUrl", database.jdbcUrl()));
        site.before();
        TestSite application = (TestSite) site.getApplication();
        ContentTables.empty(database, application);
        content = TestPostgres.newDirectory("content");
        ContentFolderBuilder.in(content)
                .video("media/clip.mp4")
                .course("pooled", "Pooled Course", "2026-01-01", "first")
                .lesson("pooled", "01", "title: First\nslug: first\nvideo: ../../media/clip.mp4\nfree: true\n",
                        "Notes on quokkas.")
                .article("news.md", "title: News\nslug: news\npublished: 2026-01-01\n", "Version one.");
        application.content().importFolder(content, false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.after();
        }
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @Test
    void signedInFlowsWorkConcurrentlyThroughThePooler() throws Exception {
        AtomicInteger learners = new AtomicInteger();
        // four at once: more would meet the password hashing pool's limit (a 503 on two cores), not the pooler's
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(threads.submit(learner("pooled" + learners.incrementAndGet() + "@example.com")));
            }
            for (Future<String> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(database.<Long>value("SELECT count(*) FROM session")).isEqualTo(16L);
        HttpResponse<String> checks = Http.get("http://127.0.0.1:" + site.getAdminPort() + "/healthcheck");
        assertThat(checks.body()).contains("\"database-pooler\":{\"healthy\":true");
        assertThat(database.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'athanor-page-cache'")).as("LISTEN connects directly").isEqualTo(1L);
    }

    @Test
    void aContentChangeThroughThePoolerDropsTheCachedPage() throws Exception {
        String news = "http://127.0.0.1:" + site.getLocalPort() + "/articles/news";
        assertThat(Http.get(news).body()).contains("Version one.");
        assertThat(Http.get(news).body()).contains("Version one.");

        ContentFolderBuilder.in(content).article("news.md", "title: News\nslug: news\npublished: 2026-01-01\n",
                "Version two.");
        ((TestSite) site.getApplication()).content().importFolder(content, false);

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String body = Http.get(news).body();
        while (!body.contains("Version two.") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            body = Http.get(news).body();
        }
        assertThat(body).as("the NOTIFY committed through the pooler reached the direct LISTEN").contains("Version two.");
    }

    @Test
    void withoutPrepareThresholdZeroThePooledPathBreaks() throws Exception {
        String name = database.jdbcUrl().substring(database.jdbcUrl().lastIndexOf('/') + 1);
        assertThat(preparedStatementErrors(bouncer.jdbcUrl(name))).as("pgjdbc's default, server-prepared after 5 uses")
                .isPositive();
        assertThat(preparedStatementErrors(bouncer.jdbcUrl(name) + "?prepareThreshold=0")).isZero();
    }

    /** Eight clients each run one statement 50 times through the pooler; the errors they met. */
    private static int preparedStatementErrors(String url) throws Exception {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(url);
        source.setUser(database.user());
        source.setPassword(database.password());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                int offset = client;
                runs.add(threads.submit(() -> {
                    try (Connection connection = source.getConnection()) {
                        for (int i = 0; i < 50; i++) {
                            try (PreparedStatement statement = connection.prepareStatement(
                                    "SELECT count(*) FROM pg_class WHERE relpages >= ?")) {
                                statement.setInt(1, offset + i);
                                try (ResultSet row = statement.executeQuery()) {
                                    row.next();
                                }
                            } catch (SQLException e) {
                                errors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        return errors.get();
    }

    private static Callable<String> learner(String email) {
        return () -> {
            String base = "http://127.0.0.1:" + site.getLocalPort();
            Browser browser = Browser.at(base);
            HttpResponse<String> signedUp = browser.post("/signup", "email", email, "password", PASSWORD);
            if (signedUp.statusCode() != 200) {
                return "sign-up " + signedUp.statusCode() + ": " + signedUp.body();
            }
            HttpResponse<String> signedIn = browser.post("/login", "email", email, "password", PASSWORD);
            if (signedIn.statusCode() != 303) {
                return "sign-in " + signedIn.statusCode() + ": " + signedIn.body();
            }
            HttpResponse<String> lesson = browser.get(LESSON);
            if (lesson.statusCode() != 200 || !lesson.body().contains("Sign out")) {
                return "lesson " + lesson.statusCode();
            }
            HttpResponse<String> search = browser.get("/search?q=quokkas");
            if (search.statusCode() != 200 || !search.body().contains(LESSON)) {
                return "search " + search.statusCode() + ": " + search.body();
            }
            HttpResponse<String> account = browser.get("/account");
            return account.statusCode() == 200 && account.body().contains(email) ? "ok"
                    : "account " + account.statusCode();
        };
    }

}
