package dev.athanor.ops.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.certs.CertificateInstaller;
import dev.athanor.ops.certs.CertificatePair;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.TestCa;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.Operators;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nginx configuration that {@code ops nginx config} renders, run by a real nginx in front of the real site with a
 * certificate from a test CA: pages proxied over https and HTTP/2, hashed assets from disk with year-long caching,
 * text compressed, {@code /health} passed through, videos sent by nginx after the site's X-Accel-Redirect, and plain
 * http answering the ACME challenge from the webroot and redirecting the rest. And what it keeps from the site: a
 * visitor's forwarding headers (the site's request log shows what arrived), nginx's version, and bodies larger than
 * the site takes where it takes them.
 */
class NginxSiteTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final List<String> FORWARDING = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto",
            "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Server", "X-Real-IP");
    private static final Path SITE_LOG = TestPostgres.newDirectory("nginx-site-log").resolve("requests.log");
    /** The visitor's address as nginx sees it: not 127.0.0.1, the address nginx itself reaches the site from. */
    private static final String VISITOR = "127.0.0.2";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String TOKEN = "t".repeat(43);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            TestApp.configFileWithRequestLog(SITE_LOG, FORWARDING), () -> DATABASE,
            ConfigOverride.config("media.delivery.accelRedirect", "true"),
            ConfigOverride.config("site.logCachedPages", "true"));

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
                // ops drives this nginx as it drives the system's with systemd: its own test, reload and pid file
                .set("deploy", "mode", "systemd")
                .set("nginx", "testCommand", "[" + nginxCommand("-t") + "]")
                .set("nginx", "reloadCommand", "[" + nginxCommand("-s", "reload") + "]")
                .set("nginx", "pidFile", directory.resolve("nginx").resolve("nginx.pid").toString())
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
        client = HttpClient.newBuilder().sslContext(ca.trustingContext()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String nginxCommand(String... arguments) {
        Path prefix = directory.resolve("nginx");
        return String.join(", ", Nginx.binary(), String.join(", ", arguments), "-c", prefix.resolve("nginx.conf")
                .toString(), "-p", prefix.toString());
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
    void maintenanceAnswersVisitorsWithThePageOverHttpsWhileTheOperatorAndTheSiteCarryOn() throws Exception {
        String config = directory.resolve("config.yml").toString();
        String page = "GET /courses/java HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        String health = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

        OpsRun on = OpsRun.of("maintenance", "on", "--message", "Upgrading the <database>", "--config", config);
        try {
            assertThat(on.exitCode()).as(on.err()).isZero();
            assertThat(exchange(VISITOR, page)).as(nginx.log()).startsWith("HTTP/1.1 503")
                    .contains("\r\nRetry-After: 60\r\n", "\r\nCache-Control: no-store\r\n",
                            "Upgrading the &lt;database&gt;").doesNotContain("nginx/");
            assertThat(exchange("127.0.0.1", page)).as("the operator").startsWith("HTTP/1.1 200")
                    .contains("Intro");
            assertThat(exchange("127.0.0.1", health)).as("/health for the operator too").startsWith("HTTP/1.1 503");
            assertThat(get("http://127.0.0.1:" + SITE.getLocalPort() + "/health").statusCode())
                    .as("the instance's own health is unchanged").isEqualTo(200);
        } finally {
            OpsRun off = OpsRun.of("maintenance", "off", "--config", config);
            assertThat(off.exitCode()).as(off.err()).isZero();
        }
        assertThat(exchange(VISITOR, page)).startsWith("HTTP/1.1 200");
        assertThat(exchange(VISITOR, health)).startsWith("HTTP/1.1 200");
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
        try (SSLSocket socket = (SSLSocket) ca.trustingContext().getSocketFactory().createSocket("localhost", httpsPort)) {
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

    @Test
    void aVisitorsForwardingHeadersNeverReachTheSiteFromAnyLocation() throws Exception {
        String spoofed = "Forwarded: for=203.0.113.1;host=evil.example;proto=http\r\n"
                + "X-Forwarded-For: 203.0.113.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: evil.example\r\n"
                + "X-Forwarded-Port: 4443\r\nX-Forwarded-Server: evil.example\r\nX-Real-IP: 203.0.113.1\r\n";
        // location /, /health, @site (an asset not exported), the two with larger bodies, and a redirect
        List<String> requests = List.of("GET /courses/java", "GET /health", "GET /assets/not-exported.css",
                "POST /stripe/webhook", "POST /admin/content/upload", "GET /account");
        for (String request : requests) {
            String agent = "forwarding-probe-" + System.nanoTime();
            String body = request.startsWith("POST") ? "{}" : "";
            String response = exchange(VISITOR, request + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + agent
                    + "\r\nConnection: close\r\n" + spoofed + (body.isEmpty() ? "" : "Content-Type: application/json"
                    + "\r\nContent-Length: " + body.length() + "\r\n") + "\r\n" + body);

            assertThat(response).as(request).startsWith("HTTP/1.1 ").doesNotContain("evil.example")
                    .doesNotContain("4443");
            JsonNode seen = siteLogLine(agent);
            assertThat(seen.path("remoteAddress").asText()).as(request + ": the address the site believed")
                    .isEqualTo(VISITOR);
            assertThat(headers(seen)).as(request + ": the forwarding headers that reached the site")
                    .containsOnly(Map.entry("x-forwarded-for", VISITOR), Map.entry("x-forwarded-proto", "https"),
                            Map.entry("x-real-ip", VISITOR));
        }
    }

    @Test
    void sessionsRecordTheVisitorsAddressAsNginxSawIt() throws Exception {
        site().accounts().createOperator("through-nginx@example.com", PASSWORD);

        signIn("through-nginx@example.com", "X-Forwarded-For: 203.0.113.9\r\nForwarded: for=198.51.100.9\r\n");

        assertThat(DATABASE.list("SELECT address FROM session s JOIN learner l ON l.id = s.learner_id"
                + " WHERE l.email = 'through-nginx@example.com'", String.class)).containsExactly(VISITOR);
    }

    @Test
    void nginxNamesNoVersion() throws Exception {
        HttpResponse<String> page = get("https://localhost:" + httpsPort + "/courses/java");
        HttpResponse<String> ownError = get("https://localhost:" + httpsPort + "/protected-media/anything");
        HttpResponse<String> redirect = get("http://localhost:" + httpPort + "/courses/java");

        for (HttpResponse<String> response : List.of(page, ownError, redirect)) {
            assertThat(response.headers().allValues("server")).as(response.uri().toString()).containsExactly("nginx");
            assertThat(response.body()).doesNotContain("nginx/");
        }
        assertThat(ownError.statusCode()).isEqualTo(404);
        assertThat(ownError.body()).contains("<center>nginx</center>");
    }

    @Test
    void bodiesLargerThanTheSiteTakesAreRefusedByNginxAndLargerOnesPassWhereTheSiteTakesThem() throws Exception {
        String form = "csrf=" + TOKEN + "&email=a%40example.com&password=" + "p".repeat(70_000);
        assertThat(post("/login", "application/x-www-form-urlencoded", form, "Cookie: csrf=" + TOKEN + "\r\n"))
                .as("over site.requestBodyLimit (64 KiB): nginx's own 413").startsWith("HTTP/1.1 413")
                .contains("<center>nginx</center>");
        assertThat(post("/login", "application/x-www-form-urlencoded", form.substring(0, 60_000),
                "Cookie: csrf=" + TOKEN + "\r\n")).as("under it: the site's answer, a wrong password")
                .startsWith("HTTP/1.1 401");

        String event = "{\"id\":\"evt_large\",\"padding\":\"" + "x".repeat(300_000) + "\"}";
        assertThat(post("/stripe/webhook", "application/json", event, "Stripe-Signature: t=1,v1=00\r\n"))
                .as("300 KB to the webhook: the site's answer (no valid signature), not a refused body")
                .matches("(?s)HTTP/1\\.1 4(?!13)\\d\\d .*").doesNotContain("<center>nginx</center>");
        assertThat(post("/stripe/webhook", "application/json", "x".repeat(600_000), ""))
                .as("over the webhook's 512 KiB: nginx's 413").startsWith("HTTP/1.1 413")
                .contains("<center>nginx</center>");

        String anonymous = exchange(VISITOR, "POST /admin/content/upload HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 2000000\r\n"
                + "\r\n--b\r\n");
        assertThat(anonymous).as("a large upload from a visitor: streamed, so the site refuses it before nginx has the"
                + " body").startsWith("HTTP/1.1 413").doesNotContain("<center>nginx</center>");

        // An operator counts as one once a second factor is set up: enrolled on the site directly, then its session
        // cookie sent through nginx.
        site().accounts().createOperator("uploader@example.com", PASSWORD);
        Browser operator = Browser.at("http://127.0.0.1:" + SITE.getLocalPort());
        Operators.signIn(operator, DATABASE, "uploader@example.com", PASSWORD);
        String session = "session=" + operator.cookie("session").orElseThrow();
        String boundary = "athanor-nginx-test";
        String upload = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + TOKEN
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"c.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n" + "z".repeat(2_000_000) + "\r\n--" + boundary + "--\r\n";
        assertThat(post("/admin/content/upload", "multipart/form-data; boundary=" + boundary, upload,
                "Cookie: csrf=" + TOKEN + "; " + session + "\r\n")).as("2 MB from the operator: through to the site")
                .startsWith("HTTP/1.1 200").contains("The upload was refused");
    }

    /** Signs {@code email} in through nginx from {@link #VISITOR}; returns the session cookie it gets. */
    private static String signIn(String email, String headers) throws Exception {
        String body = "csrf=" + TOKEN + "&email=" + email.replace("@", "%40") + "&password="
                + PASSWORD.replace(' ', '+');
        String response = post("/login", "application/x-www-form-urlencoded", body, "Cookie: csrf=" + TOKEN + "\r\n"
                + headers);
        assertThat(response).startsWith("HTTP/1.1 303");
        Matcher cookie = Pattern.compile("(?im)^Set-Cookie: ((?!csrf=)[^=;]+=[^;\r\n]+)").matcher(response);
        assertThat(cookie.find()).as(response).isTrue();
        return cookie.group(1);
    }

    private static String post(String path, String type, String body, String headers) throws Exception {
        return exchange(VISITOR, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: " + type + "\r\nContent-Length: " + body.length() + "\r\n" + headers + "\r\n"
                + body);
    }

    /**
     * One request over TLS to nginx from local address {@code from}, written while the answer is read: nginx or the
     * site may answer and close before the body is all sent, so a write that fails after that is no error.
     */
    private static String exchange(String from, String request) throws Exception {
        try (Socket plain = new Socket()) {
            plain.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            plain.connect(new InetSocketAddress("127.0.0.1", httpsPort), 5_000);
            plain.setSoTimeout(15_000);
            SSLSocket socket = (SSLSocket) ca.trustingContext().getSocketFactory().createSocket(plain, "localhost", httpsPort,
                    false);
            socket.startHandshake();
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                } catch (java.io.IOException closedEarly) {
                    // answered before the whole body was sent
                }
            });
            writer.start();
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (java.net.SocketTimeoutException silent) {
                return "no answer within 15 seconds";
            } catch (javax.net.ssl.SSLException | java.net.SocketException reset) {
                return reset.toString();
            } finally {
                writer.join(15_000);
                socket.close();
            }
        }
    }

    /** The site's request-log line for the request sent with User-Agent {@code agent} (the log is written async). */
    private static JsonNode siteLogLine(String agent) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            if (Files.exists(SITE_LOG)) {
                for (String line : Files.readAllLines(SITE_LOG)) {
                    JsonNode json = JSON.readTree(line);
                    if (agent.equals(json.path("userAgent").asText())) {
                        return json;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no request-log line for " + agent + " in " + SITE_LOG);
            }
            Thread.sleep(50);
        }
    }

    /** The logged request headers, names in lower case. */
    private static Map<String, String> headers(JsonNode line) {
        Map<String, String> headers = new java.util.TreeMap<>();
        line.path("headers").fields().forEachRemaining(header -> headers.put(header.getKey().toLowerCase(
                java.util.Locale.ROOT), header.getValue().asText()));
        return headers;
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
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
}
