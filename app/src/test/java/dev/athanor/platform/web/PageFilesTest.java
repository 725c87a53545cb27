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
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page cache's files for nginx ({@code site.pageFiles}), on two nodes of one database: a page's files hold the
 * bytes the site sends, appear with the cached page and go with it (a change through the other node, the page's
 * lifetime), are never written for what must reach the site (a signed-in viewer, a query, a non-HTML page), and are
 * gone once the site stops.
 */
class PageFilesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    private final Path folder = TestPostgres.newDirectory("pages");
    private DropwizardTestSupport<AthanorConfiguration> withFiles;
    private DropwizardTestSupport<AthanorConfiguration> other;
    private Path content;

    @BeforeEach
    void startTwoNodes() throws Exception {
        Files.writeString(folder.resolve("left-by-a-killed-instance.html"), "stale");
        withFiles = TestApp.support(TestSite.class, () -> DATABASE,
                ConfigOverride.config("site.pageFiles", folder.toString()),
                ConfigOverride.config("site.pageCacheLifetime", "2 seconds"));
        // Not inheriting the first node's folder (overrides are system properties while a node runs).
        other = TestApp.support(TestSite.class, () -> DATABASE, ConfigOverride.config("site.pageFiles", ""));
        withFiles.before();
        other.before();
        ContentTables.empty(DATABASE, node(other));
        content = TestPostgres.newDirectory("content");
    }

    /** In the reverse order of their start: each restores the system properties it found when it started. */
    @AfterEach
    void stopNodes() {
        if (other != null) {
            other.after();
        }
        if (withFiles != null) {
            withFiles.after();
        }
    }

    @Test
    void aPagesFilesHoldWhatTheSiteSendsAndGoWhenAnotherNodeChangesItsContent() throws Exception {
        ContentFolderBuilder articles = ContentFolderBuilder.in(content)
                .article("news.md", "title: News\nslug: news\npublished: 2026-01-01\n", "Version one.");
        node(other).content().importFolder(content, false);
        assertThat(files()).as("what an instance killed before left is gone when the site starts").isEmpty();

        String url = site() + "/articles/news";
        HttpResponse<byte[]> plain = Http.getBytes(url, "Accept-Encoding", "identity");
        assertThat(plain.statusCode()).isEqualTo(200);
        Path page = folder.resolve("articles/news.html");
        await(() -> Files.exists(page), "written off the request, just after it");
        assertThat(page).hasBinaryContent(plain.body());
        await(() -> Http.getBytes(url, "Accept-Encoding", "gzip").headers().firstValue("ETag").orElseThrow()
                .endsWith("-gz\""), "the best gzip copy is made off the request");
        HttpResponse<byte[]> gzipped = Http.getBytes(url, "Accept-Encoding", "gzip");
        await(() -> Arrays.equals(Files.readAllBytes(folder.resolve("articles/news.html.gz")), gzipped.body()),
                "the best gzip copy replaces the fast one in the page's files too");
        assertThat(gunzip(Files.readAllBytes(folder.resolve("articles/news.html.gz")))).isEqualTo(plain.body());
        assertThat(Files.getLastModifiedTime(page).toMillis() / 1000 * 1000).as("the file's time is Last-Modified")
                .isEqualTo(ZonedDateTime.parse(plain.headers().firstValue("Last-Modified").orElseThrow(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli());
        Http.getBytes(url, "Accept-Encoding", "br");
        await(() -> Files.exists(folder.resolve("articles/news.html.br")), "the Brotli copy is written once made");
        assertThat(Files.size(folder.resolve("articles/news.html.br"))).isPositive();

        articles.article("news.md", "title: News\nslug: news\npublished: 2026-01-01\n", "Version two.");
        node(other).content().importFolder(content, false);
        await(() -> !Files.exists(page), "the change through the other node deletes the page's file");
        assertThat(folder.resolve("articles/news.html.gz")).doesNotExist();
        assertThat(folder.resolve("articles/news.html.br")).doesNotExist();

        assertThat(new String(Http.getBytes(url).body())).contains("Version two.");
        await(() -> Files.exists(page), "rendered again, written again");
        assertThat(Files.readString(page)).contains("Version two.");
        assertThat(files()).noneMatch(file -> file.getFileName().toString().contains(".tmp-"));
    }

    @Test
    void aPagePastItsLifetimeLosesItsFilesAndOnlyAnonymousHtmlWithoutAQueryIsWritten() throws Exception {
        ContentFolderBuilder.in(content)
                .article("news.md", "title: News\nslug: news\npublished: 2026-01-01\n", "Version one.");
        node(other).content().importFolder(content, false);

        Http.get(site() + "/articles/news", "Cookie", Viewers.SESSION_COOKIE_INSECURE + "=not-a-session");
        Http.get(site() + "/articles?page=1");
        Http.get(site() + "/feed.xml");
        Http.get(site() + "/articles/news");
        Path page = folder.resolve("articles/news.html");
        await(() -> Files.exists(page), "the anonymous page, written in the order asked");
        assertThat(files()).as("before it, a maybe signed-in viewer, a query, a feed: nothing for nginx")
                .containsExactlyInAnyOrder(page, folder.resolve("articles/news.html.gz"));
        await(() -> !Files.exists(page), "past its 2-second lifetime, within the sweep");
        assertThat(Http.get(site() + "/articles/news").statusCode()).isEqualTo(200);
        await(() -> Files.exists(page), "rendered again, written again");

        other.after();
        other = null;
        withFiles.after();
        withFiles = null;
        assertThat(files()).as("the stopped site leaves nothing nginx could serve").isEmpty();
    }

    /** Stopped out of order, the nodes would leave their settings behind for the tests after these. */
    @AfterAll
    static void leaveNoSettingsBehind() {
        assertThat(System.getProperties().stringPropertyNames()).noneMatch(name -> name.startsWith("dw."));
    }

    private String site() {
        return "http://127.0.0.1:" + withFiles.getLocalPort();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(PageCache.SWEEP_SECONDS + 5).toNanos();
        while (!condition.call() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.call()).as(what).isTrue();
    }

    private static byte[] gunzip(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestSite node(DropwizardTestSupport<AthanorConfiguration> support) {
        return (TestSite) support.getApplication();
    }
}
