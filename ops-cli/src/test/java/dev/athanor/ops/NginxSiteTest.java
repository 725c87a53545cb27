package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.certs.CertificateInstaller;
import dev.athanor.ops.certs.CertificatePair;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.OpsConfig;
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
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nginx configuration that {@code ops nginx config} renders, run by a real nginx in front of the real site with a
 * certificate from a test CA: pages proxied over https and HTTP/2, hashed assets from disk with year-long caching,
 * text compressed, {@code /health} passed through, videos sent by nginx after the site's X-Accel-Redirect, and plain
 * http answering the ACME challenge from the webroot and redirecting the rest.
 */
class NginxSiteTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class, () -> DATABASE,
            ConfigOverride.config("media.delivery.accelRedirect", "true"));

    private static Path directory;
    private static Nginx nginx;
    private static int httpPort;
    private static int httpsPort;
    private static HttpClient client;
    private static TestCa ca;

    @BeforeAll
    static void startNginx() throws Exception {
        assumeTrue(Nginx.installed(), "nginx is not installed (./dev test installs it)");
        directory = TestPostgres.newDirectory("nginx");
        ((TestSite) SITE.getApplication()).content().importFolder(ContentFolderBuilder.in(directory.resolve("content"))
                .course("java", "Java", "2026-01-01", "intro")
                .lesson("java", "intro", "title: Intro\nslug: intro\nvideo: ../../media/hello.mp4\nfree: true\n",
                        "The first lesson.")
                .video("media/hello.mp4").root(), false);

        ca = new TestCa();
        TestCa.Issued issued = ca.issue(List.of("localhost"), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)));
        new CertificateInstaller(CertificateFiles.of(directory.resolve("certificates"), "localhost"))
                .install(new CertificatePair(issued.key(), issued.chain()));
        httpPort = TestPostgres.freePort();
        httpsPort = TestPostgres.freePort();
        Path config = new OpsConfig(directory)
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: "
                        + SITE.getLocalPort() + "}]")
                .set("certificates", "domains", "[localhost]")
                .set("certificates", "webroot", directory.resolve("acme-webroot").toString())
                .set("media", "directory", SITE.getConfiguration().getMedia().getDirectory().toString())
                .set("nginx", "listenAddress", "127.0.0.1")
                .set("nginx", "httpPort", Integer.toString(httpPort))
                .set("nginx", "httpsPort", Integer.toString(httpsPort))
                .set("nginx", "staticRoot", directory.resolve("static").toString())
                .write();

        OpsRun rendered = OpsRun.of("nginx", "config", "-o", directory.resolve("athanor.conf").toString(),
                "--config", config.toString());
        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        OpsRun exported = OpsRun.of("nginx", "assets", "--config", config.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("Exported 3 assets to " + directory.resolve("static").resolve("assets"));

        Files.createDirectories(directory.resolve("nginx-logs")); // /var/log/nginx exists on a server
        Path main = Nginx.mainConfig(directory.resolve("nginx"), directory.resolve("athanor.conf"));
        Nginx.Result check = Nginx.test(main, directory.resolve("nginx"));
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("syntax is ok").contains("test is successful");
        nginx = Nginx.start(main, directory.resolve("nginx"), httpsPort);
        client = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void pagesAreProxiedOverHttpsAndHttp2WithTheSitesOwnHeaders() throws Exception {
        HttpResponse<String> home = get("https://localhost:" + httpsPort + "/courses/java");

        assertThat(home.statusCode()).as(nginx.log()).isEqualTo(200);
        assertThat(home.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(home.body()).contains("Test Academy").contains("Intro");
        assertThat(home.headers().firstValue("server")).hasValueSatisfying(server -> assertThat(server)
                .startsWith("nginx"));
        assertThat(home.headers().firstValue("content-security-policy")).isPresent();
        assertThat(home.headers().firstValue("strict-transport-security")).as("the site saw https through"
                + " X-Forwarded-Proto").isPresent();
    }

    @Test
    void hashedAssetsComeFromDiskCachedForAYearAndTextIsCompressed() throws Exception {
        String page = get("https://localhost:" + httpsPort + "/").body();
        Matcher css = Pattern.compile("/assets/site\\.[0-9a-f]{10}\\.css").matcher(page);
        assertThat(css.find()).isTrue();
        Path onDisk = directory.resolve("static").resolve(css.group().substring(1));
        assertThat(onDisk).exists();
        Files.writeString(onDisk, Files.readString(onDisk) + "/* from disk */"); // nginx, not the site, answers

        HttpResponse<String> plain = get("https://localhost:" + httpsPort + css.group());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).endsWith("/* from disk */");
        assertThat(plain.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(plain.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/css"));

        HttpResponse<byte[]> gzipped = getBytes("https://localhost:" + httpsPort + css.group(), "Accept-Encoding",
                "gzip");
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gunzip(gzipped.body())).startsWith(Files.readString(onDisk).substring(0, 40));

        HttpResponse<byte[]> feed = getBytes("https://localhost:" + httpsPort + "/feed.xml", "Accept-Encoding",
                "gzip");
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(feed.headers().firstValue("vary")).hasValueSatisfying(vary -> assertThat(vary)
                .containsIgnoringCase("Accept-Encoding"));
        assertThat(gunzip(feed.body())).contains("<feed");
    }

    @Test
    void healthPassesThrough() throws Exception {
        HttpResponse<String> health = get("https://localhost:" + httpsPort + "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(health.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void videosAreSentByNginxAfterTheSitesAccessCheck() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort
                + "/courses/java/intro/video")).header("Range", "bytes=0-99").timeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> video = client.send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertThat(video.statusCode()).as(nginx.log()).isEqualTo(206);
        assertThat(video.body()).hasSize(100).isEqualTo(java.util.Arrays.copyOf(Files.readAllBytes(
                ContentFolderBuilder.DEMO_VIDEO), 100));
        assertThat(video.headers().firstValue("content-type")).hasValue("video/mp4");
        assertThat(video.headers().firstValue("x-accel-redirect")).as("internal to nginx").isEmpty();
        assertThat(get("https://localhost:" + httpsPort + "/protected-media/anything").statusCode())
                .as("the internal location is not reachable from outside").isEqualTo(404);
    }

    @Test
    void plainHttpAnswersTheAcmeChallengeAndRedirectsTheRest() throws Exception {
        Path challenge = directory.resolve("acme-webroot").resolve(".well-known/acme-challenge/token-123");
        Files.createDirectories(challenge.getParent());
        Files.writeString(challenge, "token-123.thumbprint");

        HttpResponse<String> answer = get("http://localhost:" + httpPort + "/.well-known/acme-challenge/token-123");
        assertThat(answer.statusCode()).as(nginx.log()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("token-123.thumbprint");
        assertThat(get("http://localhost:" + httpPort + "/.well-known/acme-challenge/missing").statusCode())
                .isEqualTo(404);

        HttpResponse<String> redirect = get("http://localhost:" + httpPort + "/courses/java?ref=x");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("location")).hasValue("https://localhost/courses/java?ref=x");
    }

    @Test
    void requestsAreLoggedAsJsonLinesThatOpsLogsReads() throws Exception {
        get("https://localhost:" + httpsPort + "/articles?from=nginx-test");
        Path config = directory.resolve("config.yml");
        OpsRun logs = OpsRun.of("logs", "nginx", "--path", "/articles?from=nginx-test", "--config",
                config.toString());

        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out().lines()).singleElement().asString().contains(" 200 GET /articles?from=nginx-test ");
    }

    @Test
    void errorsAreLoggedInNginxsOwnFormatThatOpsLogsReadsBySinceAndLevel() throws Exception {
        String marker = "/too-large-" + System.nanoTime();
        try (SSLSocket socket = (SSLSocket) trusting(ca).getSocketFactory().createSocket("localhost", httpsPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + marker + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 300000000\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 413");
        }
        Path config = directory.resolve("config.yml");

        OpsRun recent = OpsRun.of("logs", "nginx-error", "--since", "5m", "--level", "error", "--grep", marker,
                "--config", config.toString());

        assertThat(recent.exitCode()).as(recent.err()).isZero();
        assertThat(recent.out().lines()).as(nginx.log()).singleElement().asString()
                .matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[error\\] \\d+#\\d+: \\*\\d+ client intended to send"
                        + " too large body: 300000000 bytes, .*" + Pattern.quote(marker) + ".*");
        assertThat(OpsRun.of("logs", "nginx-error", "--until", "5m", "--grep", marker, "--config",
                config.toString()).out()).as("nginx's local time read as such: not five minutes old").isEmpty();
        assertThat(OpsRun.of("logs", "nginx", "--status", "413", "--path", marker, "--config", config.toString())
                .out().lines()).singleElement().asString().contains(" 413 POST " + marker + " ");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String url, String... headers) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).headers(headers).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] bytes) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SSLContext trusting(TestCa ca) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("test-ca", ca.root());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
