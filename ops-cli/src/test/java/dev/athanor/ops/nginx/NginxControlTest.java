package dev.athanor.ops.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.testing.TestPostgres;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NginxControl} in local mode, driving a real nginx of its own in front of two stand-in instances: the upstream
 * switched with every new request going to the new instance once it returns, a configuration nginx refuses left
 * without effect, maintenance mode for visitors and for the operator, the site's own 503s untouched, and a POST never
 * sent twice while a GET is retried.
 */
class NginxControlTest {

    /** The visitor's address; the operator is 127.0.0.1 (nginx.operatorAddresses' default). */
    private static final String VISITOR = "127.0.0.2";
    private static final String OPERATOR = "127.0.0.1";

    private static Path directory;
    private static Path config;
    private static NginxControl nginx;
    private static int port;
    private static Backend first;
    private static Backend second;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Nginx.installed(), "nginx is not installed (./dev test installs it)");
        directory = TestPostgres.newDirectory("nginx-control");
        port = TestPostgres.freePort();
        config = new OpsConfig(directory)
                .set("site", "name", "Test Academy")
                .set("deploy", "mode", "local")
                .set("deploy", "localPort", Integer.toString(port))
                .set("nginx", "staticRoot", directory.resolve("static").toString())
                .write();
        nginx = NginxControl.of(ConfigOption.of(config).load());
        first = Backend.answering("first");
        second = Backend.answering("second");
    }

    @AfterEach
    void maintenanceOff() throws Exception {
        if (nginx != null) {
            nginx.maintenanceOff();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            Path pidFile = directory.resolve("install/nginx/nginx.pid");
            long master = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
            nginx.stopLocal();
            assertThat(ProcessHandle.of(master).map(ProcessHandle::isAlive)).as("nginx is stopped")
                    .isNotEqualTo(java.util.Optional.of(true));
        }
        for (Backend backend : new Backend[] {first, second}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    @Test
    void eachSwitchSendsEveryNewRequestToTheNewUpstreamOnceItReturns() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Backend target = i % 2 == 0 ? first : second;
            long started = System.nanoTime();
            nginx.switchUpstream(List.of(target.address()));
            millis.add((System.nanoTime() - started) / 1_000_000);
            int before = target.requests();

            for (int request = 0; request < 5; request++) {
                Response page = send(VISITOR, "GET", "/courses/java", "");
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
                assertThat(page.body()).as("switch %d, request %d", i, request).isEqualTo("backend "
                        + (target == first ? "first" : "second"));
            }
            assertThat(target.requests()).isEqualTo(before + 5);
            assertThat(nginx.upstream()).containsExactly(target.address());
        }
        System.out.println("switchUpstream took (ms, the first starts nginx): " + millis);
        Path conf = directory.resolve("install/nginx/nginx.conf");
        assertThat(Files.readString(conf)).contains("listen 127.0.0.1:" + port + ";", "include "
                + directory.resolve("nginx-includes/athanor-upstream.conf"));
    }

    @Test
    void aConfigurationNginxRefusesKeepsThePreviousUpstreamAndTraffic() throws Exception {
        nginx.switchUpstream(List.of(first.address()));
        Path include = directory.resolve("nginx-includes/athanor-upstream.conf");
        String before = Files.readString(include);

        assertThatThrownBy(() -> nginx.switchUpstream(List.of("no-such-host.invalid:8080")))
                .isInstanceOf(NginxException.class)
                .hasMessageContaining("host not found in upstream \"no-such-host.invalid:8080\"")
                .hasMessageContaining("the previous include is back")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> nginx.switchUpstream(List.of("127.0.0.1:8080; evil")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an upstream server");

        assertThat(Files.readString(include)).isEqualTo(before);
        assertThat(nginx.upstream()).containsExactly(first.address());
        assertThat(send(VISITOR, "GET", "/", "").body()).isEqualTo("backend first");
    }

    @Test
    void maintenanceAnswersVisitorsWithThePageAndLetsTheOperatorThrough() throws Exception {
        nginx.switchUpstream(List.of(first.address()));
        int seen = first.requests();

        nginx.maintenanceOn("Back at <b>noon</b> & soon", List.of());

        for (String method : List.of("GET", "POST")) {
            Response visitor = send(VISITOR, method, "/courses/java", method.equals("POST") ? "a=b" : "");
            assertThat(visitor.status()).as(method + " " + visitor).isEqualTo(503);
            assertThat(visitor.headers()).containsEntry("retry-after", "60").containsEntry("cache-control",
                    "no-store");
            assertThat(visitor.headers().get("content-type")).startsWith("text/html");
            assertThat(visitor.body()).contains("Test Academy will be back shortly",
                    "Back at &lt;b&gt;noon&lt;/b&gt; &amp; soon").doesNotContain("<b>noon");
        }
        assertThat(first.requests()).as("no visitor reached the site").isEqualTo(seen);
        Response operator = send(OPERATOR, "GET", "/courses/java", "");
        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.body()).isEqualTo("backend first");
        for (String from : List.of(VISITOR, OPERATOR)) {
            Response health = send(from, "GET", "/health", "");
            assertThat(health.status()).as("/health from " + from + " (uptime monitors must see it)")
                    .isEqualTo(503);
            assertThat(health.headers()).containsEntry("retry-after", "60");
        }
        assertThat(first.requests()).as("only the operator's page").isEqualTo(seen + 1);

        MaintenanceState state = nginx.maintenance().orElseThrow();
        assertThat(state.message()).isEqualTo("Back at <b>noon</b> & soon");
        assertThat(state.addresses()).containsExactly("127.0.0.1", "::1");
        nginx.maintenanceOn("", List.of(VISITOR));
        assertThat(nginx.maintenance().orElseThrow().since()).as("on again: since the first").isEqualTo(
                state.since());
        assertThat(send(VISITOR, "GET", "/courses/java", "").status()).as("allowed now").isEqualTo(200);

        nginx.maintenanceOff();

        assertThat(nginx.maintenance()).isEmpty();
        assertThat(send(VISITOR, "GET", "/courses/java", "").body()).isEqualTo("backend first");
        assertThat(send(VISITOR, "GET", "/health", "").status()).isEqualTo(200);
    }

    @Test
    void theSitesOwn503PassesThroughUntouched() throws Exception {
        nginx.switchUpstream(List.of(first.address()));

        Response busy = send(VISITOR, "GET", "/busy", "");

        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.body()).isEqualTo(Backend.OWN_503);
        assertThat(busy.headers()).containsEntry("x-site", "own").doesNotContainKey("retry-after");
    }

    @Test
    void aGetIsTriedAgainOnTheNextServerAndAPostIsNeverSentTwice() throws Exception {
        try (Backend hangUp = Backend.hangingUp("hang-up")) {
            nginx.switchUpstream(List.of(hangUp.address(), first.address()));
            int firstGets = first.seen("GET");
            for (int i = 0; i < 6; i++) {
                assertThat(send(VISITOR, "GET", "/lesson", "").status()).as("GET %d", i).isEqualTo(200);
            }
            assertThat(hangUp.seen("GET")).as("GETs that failed there, then answered by the next").isPositive();
            assertThat(first.seen("GET") - firstGets).isEqualTo(6);

            int firstPosts = first.seen("POST");
            int failed = 0;
            for (int i = 0; i < 6; i++) {
                failed += send(VISITOR, "POST", "/login", "a=b").status() == 502 ? 1 : 0;
            }
            assertThat(failed).as("POSTs that failed on the server that hung up: 502, not sent again").isPositive()
                    .isEqualTo(hangUp.seen("POST"));
            assertThat(hangUp.seen("POST") + first.seen("POST") - firstPosts).as("each POST sent once").isEqualTo(6);
        } finally {
            nginx.switchUpstream(List.of(first.address()));
        }
    }

    @Test
    void otherNodesShareTheTrafficAndOneThatIsGoneCostsNoFailedGet() throws Exception {
        int gone = TestPostgres.freePort();
        // The same node and nginx, with config.yml listing two other nodes (one of them gone).
        Path withPeers = new OpsConfig(directory.resolve("with-peers")).set("site", "name", "Test Academy")
                .set("deploy", "mode", "local").set("deploy", "localPort", Integer.toString(port))
                .set("deploy", "directory", directory.resolve("install").toString())
                .set("nginx", "includeDirectory", directory.resolve("nginx-includes").toString())
                .set("nginx", "staticRoot", directory.resolve("static").toString())
                .set("nginx", "peers", "[\"" + second.address() + "\", \"127.0.0.1:" + gone + "\"]")
                .write();
        NginxControl node = NginxControl.of(ConfigOption.of(withPeers).load());
        try {
            node.switchLocal(first.address());
            assertThat(node.upstream()).containsExactly(first.address(), second.address(), "127.0.0.1:" + gone);
            assertThat(Files.readString(directory.resolve("nginx-includes/athanor-upstream.conf")))
                    .contains("server " + first.address() + " max_fails=0;",
                            "server " + second.address() + " max_fails=1 fail_timeout=5s;");
            int firstBefore = first.requests();
            int secondBefore = second.requests();
            for (int i = 0; i < 12; i++) {
                assertThat(send(VISITOR, "GET", "/lesson", "").status()).as("GET %d", i).isEqualTo(200);
            }
            assertThat(first.requests() - firstBefore).as("this node's share").isPositive();
            assertThat(second.requests() - secondBefore).as("the other node's share").isPositive();
            assertThat(first.requests() - firstBefore + second.requests() - secondBefore).isEqualTo(12);

            OpsRun render = OpsRun.of("nginx", "config", "-o", directory.resolve("site.conf").toString(),
                    "--config", config.toString());
            assertThat(render.exitCode()).as(render.err()).isZero();
            assertThat(render.out()).contains("Wrote " + directory.resolve("nginx-includes/athanor-upstream.conf"));
            assertThat(nginx.upstream()).as("the peers as config.yml has them now, this node's server kept")
                    .containsExactly(first.address());
        } finally {
            nginx.switchUpstream(List.of(first.address()));
        }
    }

    @Test
    void opsMaintenanceTurnsItOnAndOffAndSaysSo() throws Exception {
        nginx.switchUpstream(List.of(first.address()));

        OpsRun on = OpsRun.of("maintenance", "on", "--message", "Moving house", "--allow", "127.0.0.3",
                "--config", config.toString());
        assertThat(on.exitCode()).as(on.err()).isZero();
        assertThat(on.out()).contains("Maintenance is on", "127.0.0.1, ::1, 127.0.0.3", "ops maintenance off");
        assertThat(send(VISITOR, "GET", "/", "").body()).contains("Moving house");
        assertThat(send("127.0.0.3", "GET", "/", "").body()).isEqualTo("backend first");

        OpsRun status = OpsRun.of("maintenance", "status", "--json", "--config", config.toString());
        JsonNode json = new ObjectMapper().readTree(status.out());
        assertThat(json.path("on").asBoolean()).isTrue();
        assertThat(json.path("message").asText()).isEqualTo("Moving house");
        assertThat(OpsRun.of("maintenance", "status", "--config", config.toString()).out())
                .startsWith("Maintenance is on since ");

        OpsRun bad = OpsRun.of("maintenance", "on", "--allow", "example.com", "--config", config.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("ops: not an IP address or CIDR range: example.com");

        OpsRun off = OpsRun.of("maintenance", "off", "--config", config.toString());
        assertThat(off.exitCode()).as(off.err()).isZero();
        assertThat(off.out()).startsWith("Maintenance is off after ");
        assertThat(OpsRun.of("maintenance", "off", "--config", config.toString()).out().strip())
                .isEqualTo("Maintenance was already off.");
        assertThat(send(VISITOR, "GET", "/", "").body()).isEqualTo("backend first");
    }

    /** One request over a new connection from local address {@code from} to the local nginx. */
    private static Response send(String from, String method, String path, String body) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (body.isEmpty() ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                            + body.length() + "\r\n") + "\r\n" + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String[] head = answer.substring(0, split).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).toLowerCase(Locale.ROOT), head[i].substring(colon + 1)
                        .strip());
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, answer.substring(split + 4));
        }
    }

    private record Response(int status, Map<String, String> headers, String body) {
    }
}
