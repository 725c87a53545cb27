package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.web.PageCache;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An article scheduled for later appears when its moment passes, not when the cached pages happen to expire: the
 * moment changes no row and sends no NOTIFY, so the clock's look is what drops the stale list.
 */
class PublicationClockTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeEach
    void startEmpty() {
        ContentTables.empty(DATABASE, (TestSite) SITE.getApplication());
    }

    @Test
    void aScheduledArticleAppearsOnceItsMomentHasPassed() throws Exception {
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("scheduled"))
                .article("now.md", "title: Out Now\nslug: now\npublished: 2026-02-01\n", "Already public.")
                .article("later.md", "title: Coming Soon\nslug: later\npublished: 2099-01-01\n", "Not yet.");
        content().importFolder(folder.root(), false);
        PublicationClock clock = new PublicationClock(DATABASE.jdbi(), pageCache());
        assertThat(clock.tick()).as("the first look only notes the time").isFalse();

        HttpResponse<String> before = get("/articles");
        assertThat(before.body()).contains("Out Now").doesNotContain("Coming Soon");
        String etag = before.headers().firstValue("ETag").orElseThrow();
        assertThat(clock.tick()).as("nothing became public: the cache stays").isFalse();
        assertThat(get("/articles").headers().firstValue("ETag")).contains(etag);

        // The publication moment comes closer without a change the site would announce.
        DATABASE.execute("UPDATE article SET published_at = now() + interval '1 second' WHERE slug = 'later'");
        assertThat(get("/articles").body()).as("still the cached list").doesNotContain("Coming Soon");
        Thread.sleep(1500);

        assertThat(clock.tick()).isTrue();
        assertThat(get("/articles").body()).contains("Out Now", "Coming Soon");
        assertThat(get("/articles/later").statusCode()).isEqualTo(200);
        assertThat(clock.tick()).as("published once, dropped once").isFalse();
    }

    private static Content content() {
        return ((TestSite) SITE.getApplication()).content();
    }

    private static PageCache pageCache() {
        return ((TestSite) SITE.getApplication()).pageCache();
    }

    private static HttpResponse<String> get(String path) {
        return Http.get("http://127.0.0.1:" + SITE.getLocalPort() + path);
    }
}
