package dev.athanor.ops.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.certs.CertificateInstaller;
import dev.athanor.ops.certs.CertificatePair;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestCa;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx answering anonymous pages from the site's page files ({@code nginx.pageFiles}), as {@code ops nginx config}
 * renders it, in front of the real site writing them ({@code site.pageFiles}): the page the site rendered once is then
 * sent by nginx, byte for byte, with the site's headers and precompressed copy, without the site answering it, and
 * counted as a page view from nginx's page-view log;
 * a browser with a session cookie, a query, a POST and a page without a file still reach the site, and a content
 * change reaches visitors within moments.
 */
class PageFilesNginxTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final Path DIRECTORY = TestPostgres.newDirectory("page-files-nginx");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("site.pageFiles", DIRECTORY.resolve("pages/a").toString()),
            ConfigOverride.config("nginx.pageFiles", DIRECTORY.resolve("pages").toString()));

    private static Nginx nginx;
    private static int httpsPort;
    private static HttpClient client;
    private static Path content;

    @BeforeAll
    static void startNginx() throws Exception {
        assumeTrue(Nginx.installed(), "nginx is not installed (./dev test installs it)");
        TestCa ca = new TestCa();
        TestCa.Issued issued = ca.issue(List.of("localhost"), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)));
        new CertificateInstaller(CertificateFiles.of(DIRECTORY.resolve("certificates"), "localhost"))
                .install(new CertificatePair(issued.key(), issued.chain()));
        httpsPort = TestPostgres.freePort();
        Path config = new OpsConfig(DIRECTORY)
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: "
                        + SITE.getLocalPort() + "}]")
                .set("deploy", "slotA", "{port: " + SITE.getLocalPort() + ", adminPort: " + SITE.getAdminPort() + "}")
                .set("certificates", "domains", "[localhost]")
                .set("certificates", "webroot", DIRECTORY.resolve("acme-webroot").toString())
                .set("nginx", "listenAddress", "127.0.0.1")
                .set("nginx", "httpPort", Integer.toString(TestPostgres.freePort()))
                .set("nginx", "httpsPort", Integer.toString(httpsPort))
                .set("nginx", "pageFiles", DIRECTORY.resolve("pages").toString())
                .write();
        OpsRun rendered = OpsRun.of("nginx", "config", "-o", DIRECTORY.resolve("athanor.conf").toString(),
                "--config", config.toString());
        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        assertThat(Files.readSymbolicLink(DIRECTORY.resolve("pages/live"))).as("pointed at the live slot")
                .isEqualTo(Path.of("a"));

        Files.createDirectories(DIRECTORY.resolve("nginx-logs"));
        Path main = Nginx.mainConfig(DIRECTORY.resolve("nginx"), DIRECTORY.resolve("athanor.conf"));
        Nginx.Result check = Nginx.test(main, DIRECTORY.resolve("nginx"));
        assertThat(check.exitCode()).as(check.output()).isZero();
        nginx = Nginx.start(main, DIRECTORY.resolve("nginx"), httpsPort);
        client = HttpClient.newBuilder().sslContext(ca.trustingContext()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
    }

    @BeforeEach
    void importALesson() throws Exception {
        content = DIRECTORY.resolve("content");
        ((TestSite) SITE.getApplication()).content().importFolder(ContentFolderBuilder.in(content)
                .course("java", "Java", "2026-01-01", "intro")
                .lesson("java", "intro", "title: Intro\nslug: intro\nvideo: ../../media/hello.mp4\nfree: true\n",
                        "The first lesson.")
                .video("media/hello.mp4").root(), false);
    }

    @Test
    void aPageTheSiteRenderedOnceIsThenSentByNginxFromItsFileWithTheSitesHeaders() throws Exception {
        String url = "https://localhost:" + httpsPort + "/courses/java/intro";
        HttpResponse<byte[]> fromSite = get(url, "Accept-Encoding", "identity");
        assertThat(fromSite.statusCode()).as(nginx.log()).isEqualTo(200);
        awaitFile();

        long hits = siteHits();
        long views = settledPageViews("/courses/java/intro");
        HttpResponse<byte[]> fromFile = get(url, "Accept-Encoding", "identity");
        HttpResponse<byte[]> gzipped = get(url, "Accept-Encoding", "gzip");
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(siteHits()).as("nginx answered all three without asking the site").isEqualTo(hits);

        assertThat(fromFile.statusCode()).isEqualTo(200);
        assertThat(fromFile.body()).isEqualTo(fromSite.body());
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gunzip(gzipped.body())).isEqualTo(fromSite.body());
        assertThat(head.statusCode()).isEqualTo(200);
        for (String name : List.of("content-security-policy", "x-content-type-options", "x-frame-options",
                "referrer-policy", "cross-origin-opener-policy", "permissions-policy", "strict-transport-security",
                "cache-control", "last-modified")) {
            assertThat(fromFile.headers().allValues(name)).as(name).isEqualTo(fromSite.headers().allValues(name));
        }
        assertThat(fromFile.headers().allValues("vary")).containsExactly("Accept-Encoding, Cookie");
        assertThat(fromFile.headers().firstValue("content-type").orElseThrow().replace(" ", ""))
                .isEqualTo(fromSite.headers().firstValue("content-type").orElseThrow().replace(" ", ""));
        String etag = fromFile.headers().firstValue("etag").orElseThrow();
        assertThat(get(url, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(siteHits()).isEqualTo(hits);

        assertThat(settledPageViews("/courses/java/intro")).as("each of the four answers from the file, counted by the site"
                + " from nginx's page-view log, as its own answers are").isEqualTo(views + 4);
    }

    @Test
    void aSessionCookieAQueryAPostAndAPageWithoutAFileReachTheSite() throws Exception {
        String url = "https://localhost:" + httpsPort + "/courses/java/intro";
        get(url); // rendered, then written
        awaitFile();

        long hits = siteHits();
        HttpResponse<byte[]> signedIn = get(url, "Cookie", "theme=dark; session=not-a-session");
        assertThat(signedIn.headers().firstValue("cache-control")).as("rendered for this browser by the site")
                .hasValue("private, no-cache");
        get(url + "?utm_source=mail");
        assertThat(siteHits()).as("the query went to the site, which answered from memory").isEqualTo(hits + 1);
        HttpResponse<byte[]> posted = send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("")));
        assertThat(new String(posted.body(), StandardCharsets.UTF_8)).as("the site's answer to a POST, not nginx's"
                + " 405 for a file").contains("<html").doesNotContain("<center>nginx");
        assertThat(get("https://localhost:" + httpsPort + "/courses/java/nowhere").statusCode()).isEqualTo(404);
    }

    /** The home page is sent from its file (.html), and no other address reaches that file: /index is the site's. */
    @Test
    void theHomePageIsSentFromItsFileAndOnlyAtItsAddress() throws Exception {
        String home = "https://localhost:" + httpsPort + "/";
        HttpResponse<byte[]> fromSite = get(home, "Accept-Encoding", "identity");
        Path file = DIRECTORY.resolve("pages/a/.html");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (int tries = 1; !Files.exists(file) && System.nanoTime() < deadline; tries++) {
            Thread.sleep(20);
            if (tries % 25 == 0) {
                get(home);
            }
        }
        assertThat(file).as("written just after the site answered").exists();

        long hits = siteHits();
        HttpResponse<byte[]> fromFile = get(home, "Accept-Encoding", "identity");
        assertThat(siteHits()).as("nginx answered without asking the site").isEqualTo(hits);
        assertThat(fromFile.body()).isEqualTo(fromSite.body());
        assertThat(fromFile.headers().firstValue("content-type").orElseThrow().replace(" ", "").toLowerCase())
                .as("a page, though its file has no extension").isEqualTo("text/html;charset=utf-8");
        assertThat(DIRECTORY.resolve("pages/a/.html.gz")).exists();
        HttpResponse<byte[]> gzipped = get(home, "Accept-Encoding", "gzip");
        assertThat(siteHits()).as("the gzipped copy sent by nginx too").isEqualTo(hits);
        assertThat(gzipped.headers().firstValue("content-encoding")).as("from its .gz").hasValue("gzip");
        assertThat(gzipped.headers().firstValue("content-type")).isEqualTo(fromFile.headers().firstValue(
                "content-type"));
        assertThat(get("https://localhost:" + httpsPort + "/index").statusCode()).as("the site's answer, not the home"
                + " page's file").isEqualTo(404);
    }

    @Test
    void aContentChangeReachesVisitorsThroughNginxAtOnce() throws Exception {
        String url = "https://localhost:" + httpsPort + "/courses/java/intro";
        get(url);
        assertThat(new String(get(url).body(), StandardCharsets.UTF_8)).contains("The first lesson.");

        ((TestSite) SITE.getApplication()).content().importFolder(ContentFolderBuilder.in(content)
                .lesson("java", "intro", "title: Intro\nslug: intro\nvideo: ../../media/hello.mp4\nfree: true\n",
                        "The lesson, revised.").root(), false);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String page = new String(get(url).body(), StandardCharsets.UTF_8);
        while (!page.contains("The lesson, revised.") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            page = new String(get(url).body(), StandardCharsets.UTF_8);
        }
        assertThat(page).as("within 5 s of the import").contains("The lesson, revised.");
        Path file = DIRECTORY.resolve("pages/a/courses/java/intro.html");
        while (!(Files.exists(file) && Files.readString(file).contains("revised")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(file).as("and written again").content(StandardCharsets.UTF_8).contains("The lesson, revised.");
    }

    /**
     * Waits for the lesson's file, asking for the page again now and then: a change announced late by the previous
     * test (through the database) may drop the page just after nginx sent it, and only a visitor has it rendered again.
     */
    private static void awaitFile() throws Exception {
        Path file = DIRECTORY.resolve("pages/a/courses/java/intro.html");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (int tries = 1; !Files.exists(file) && System.nanoTime() < deadline; tries++) {
            Thread.sleep(20);
            if (tries % 25 == 0) {
                get("https://localhost:" + httpsPort + "/courses/java/intro");
            }
        }
        assertThat(file).as("written just after the site answered").exists();
    }

    /**
     * The page views of {@code path} once nginx's log has no more to give: unchanged for two seconds (nginx writes
     * its log every second, the site reads it every half second), within ten.
     */
    private static long settledPageViews(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long views = pageViews(path);
        long since = System.nanoTime();
        while (System.nanoTime() - since < Duration.ofSeconds(2).toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = pageViews(path);
            if (now != views) {
                views = now;
                since = System.nanoTime();
            }
        }
        return views;
    }

    /** The page views of {@code path} the site has counted, written to the database now. */
    private static long pageViews(String path) {
        ((TestSite) SITE.getApplication()).events().flush();
        return DATABASE.<Long>value("SELECT coalesce(sum(views), 0)::bigint FROM page_view_daily WHERE path = ?",
                path);
    }

    private static long siteHits() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + SITE.getAdminPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(metrics.body()).path("meters").path("dev.athanor.platform.web.page-cache.hits")
                .path("count").asLong(-1);
    }

    private static HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
