package dev.athanor.content;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A search that runs past {@code content.searchTimeout} is cancelled by PostgreSQL and the visitor gets a page that
 * says so, not a 500; the next search works. The search is made slow the way a real one waits: on a lock that
 * another transaction holds (statement_timeout counts the wait).
 */
class SearchTimeoutTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(() -> DATABASE,
            ConfigOverride.config("content.searchTimeout", "300ms"));

    @Test
    void aSearchThatRunsTooLongIsCancelledAndSaysSo() throws Exception {
        String search = "http://127.0.0.1:" + SITE.getLocalPort() + "/search?q=java";
        try (Connection locker = DATABASE.connect(); Statement statement = locker.createStatement()) {
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE article IN ACCESS EXCLUSIVE MODE");

            long started = System.nanoTime();
            HttpResponse<String> slow = Http.get(search);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(slow.headers().firstValue("Retry-After")).contains("10");
            assertThat(slow.body()).contains("That search took too long; try fewer or more specific words.")
                    .doesNotContain("Nothing found", "Something went wrong");
            assertThat(tookMillis).as("cancelled at the timeout, not after the lock was released")
                    .isBetween(250L, 2_000L);
            locker.rollback();
        }
        HttpResponse<String> fine = Http.get(search);
        assertThat(fine.statusCode()).isEqualTo(200);
        assertThat(fine.body()).doesNotContain("took too long");
    }
}
