package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes on one database: a change made through one drops the other's cached pages at once (LISTEN/NOTIFY). */
class PageCacheNodesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static DropwizardTestSupport<AthanorConfiguration> first;
    private static DropwizardTestSupport<AthanorConfiguration> second;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        first = TestApp.support(TestSite.class, () -> DATABASE);
        second = TestApp.support(TestSite.class, () -> DATABASE);
        first.before();
        second.before();
    }

    @AfterAll
    static void stopNodes() {
        second.after();
        first.after();
    }

    @Test
    void aChangeThroughOneNodeDropsTheOthersCachedPage() throws Exception {
        ContentTables.empty(DATABASE, node(second));
        Path folder = TestPostgres.newDirectory("content");
        ContentFolderBuilder content = ContentFolderBuilder.in(folder)
                .article("news.md", "title: News\nslug: news\npublished: 2026-01-01\n", "Version one.");
        node(first).content().importFolder(folder, false);
        String onSecond = "http://127.0.0.1:" + second.getLocalPort() + "/articles/news";
        assertThat(Http.get(onSecond).body()).contains("Version one.");
        assertThat(Http.get(onSecond).body()).as("now cached on the second node").contains("Version one.");

        content.article("news.md", "title: News\nslug: news\npublished: 2026-01-01\n", "Version two.");
        node(first).content().importFolder(folder, false);

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String body = Http.get(onSecond).body();
        while (!body.contains("Version two.") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            body = Http.get(onSecond).body();
        }
        assertThat(body).as("the second node dropped its copy when the first committed").contains("Version two.");
    }

    @Test
    void aChangeThroughOneNodeDropsTheOthersRecentSearchResults() throws Exception {
        ContentTables.empty(DATABASE, node(second));
        Path folder = TestPostgres.newDirectory("content");
        ContentFolderBuilder content = ContentFolderBuilder.in(folder)
                .article("tuning.md", "title: Tuning\nslug: tuning\npublished: 2026-01-01\n", "About xylograph tuning.");
        node(first).content().importFolder(folder, false);
        String search = "http://127.0.0.1:" + second.getLocalPort() + "/search?q=xylograph";
        assertThat(Http.get(search).body()).contains("href=\"/articles/tuning\"");

        content.article("tuning.md", "title: Tuning Again\nslug: tuning\npublished: 2026-01-01\n",
                "About xylograph tuning.");
        node(first).content().importFolder(folder, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String body = Http.get(search).body();
        while (!body.contains("Tuning Again") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            body = Http.get(search).body();
        }
        assertThat(body).as("the change through the first node dropped the second's results").contains("Tuning Again");
    }

    private static TestSite node(DropwizardTestSupport<AthanorConfiguration> support) {
        return (TestSite) support.getApplication();
    }
}
