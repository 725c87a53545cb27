package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.ToggleServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-shot {@code ops health [URL...]} against real HTTP servers standing in for the site: its public {@code /health}
 * and its admin port's {@code /healthcheck} (JSON as Dropwizard's admin writes it, 500 when a check fails). The table,
 * the {@code --json} output and the exit codes for cron: 0 up, 1 degraded, 2 down (an error status, a refused
 * connection, a site that does not answer in time).
 */
class HealthCommandTest {

    private static final String HEALTHY_CHECKS = """
            {"database":{"healthy":true,"message":"ok","duration":2,"timestamp":"2026-11-26T21:00:00.000Z"},\
            "deadlocks":{"healthy":true,"duration":0,"timestamp":"2026-11-26T21:00:00.000Z"}}""";
    private static final String FAILING_CHECK = """
            {"database":{"healthy":false,"message":"Connection refused","duration":5,\
            "timestamp":"2026-11-26T21:00:00.000Z"},\
            "deadlocks":{"healthy":true,"duration":0,"timestamp":"2026-11-26T21:00:00.000Z"}}""";

    @TempDir
    Path temp;

    private ToggleServer site;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        site = new ToggleServer();
        site.admin(200, HEALTHY_CHECKS);
        config = new OpsConfig(temp).write();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void aHealthySiteExitsZeroWithATableOfEveryAnswer() {
        OpsRun run = health(site.healthUrl(), "--admin", site.base());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0]).isEqualTo("UP  all healthy");
        assertThat(lines[1]).matches("  OK    " + quoted(site.healthUrl()) + " +200 in \\d+ ms");
        assertThat(lines[2]).matches("  OK    check database +ok");
        assertThat(lines[3]).matches("  OK    check deadlocks *");
        assertThat(lines).hasSize(4);
        assertThat(site.polls()).isEqualTo(1);
        assertThat(site.adminPolls()).isEqualTo(1);
    }

    @Test
    void jsonReportsTheStateEachEndpointAndEachCheck() throws Exception {
        Instant before = Instant.now();
        OpsRun run = health(site.healthUrl(), "--admin", site.base() + "/", "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("state").asText()).isEqualTo("UP");
        assertThat(Instant.parse(json.get("at").asText())).isBetween(before, Instant.now());
        assertThat(json.get("endpoints")).hasSize(1);
        JsonNode endpoint = json.get("endpoints").get(0);
        assertThat(endpoint.get("url").asText()).isEqualTo(site.healthUrl());
        assertThat(endpoint.get("status").asInt()).isEqualTo(200);
        assertThat(endpoint.get("millis").asLong()).isNotNegative();
        assertThat(endpoint.get("problem").isNull()).isTrue();
        assertThat(json.get("checks")).hasSize(2);
        assertThat(json.get("checks").get(0).get("name").asText()).isEqualTo("database");
        assertThat(json.get("checks").get(0).get("healthy").asBoolean()).isTrue();
        assertThat(json.get("checks").get(0).get("message").asText()).isEqualTo("ok");
        assertThat(json.get("adminProblem").isNull()).isTrue();
    }

    @Test
    void aFailingAdminCheckIsDegradedAndExitsOne() throws Exception {
        site.admin(500, FAILING_CHECK);

        OpsRun table = health(site.healthUrl(), "--admin", site.base());

        assertThat(table.exitCode()).as(table.out() + table.err()).isEqualTo(1);
        assertThat(table.out()).startsWith("DEGRADED  database: Connection refused\n")
                .containsPattern("  OK    " + quoted(site.healthUrl()) + " +200 in \\d+ ms")
                .containsPattern("  FAIL  check database +Connection refused")
                .containsPattern("  OK    check deadlocks");

        OpsRun json = health(site.healthUrl(), "--admin", site.base(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("state").asText()).isEqualTo("DEGRADED");
        assertThat(report.get("checks").get(0).get("healthy").asBoolean()).isFalse();
        assertThat(report.get("checks").get(0).get("message").asText()).isEqualTo("Connection refused");
    }

    @Test
    void aSilentAdminPortIsDegradedAndExitsOne() throws Exception {
        String closedAdmin = "http://127.0.0.1:" + closedPort();

        OpsRun run = health(site.healthUrl(), "--admin", closedAdmin);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).startsWith("DEGRADED  admin checks at " + closedAdmin + "/healthcheck: refused the"
                + " connection (not running?)\n")
                .contains("  WARN  admin checks at " + closedAdmin + "/healthcheck");
    }

    @Test
    void aPublicUrlAnsweringAnErrorIsDownAndExitsTwo() throws Exception {
        site.health(503, "{\"status\":\"down\"}");

        OpsRun table = health(site.healthUrl(), "--admin", site.base());

        assertThat(table.exitCode()).as(table.out() + table.err()).isEqualTo(2);
        assertThat(table.out()).startsWith("DOWN  " + site.healthUrl() + " answered 503\n")
                .containsPattern("  FAIL  " + quoted(site.healthUrl()) + " +answered 503");

        OpsRun json = health(site.healthUrl(), "--no-admin", "--json");
        assertThat(json.exitCode()).isEqualTo(2);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("state").asText()).isEqualTo("DOWN");
        assertThat(report.get("endpoints").get(0).get("status").asInt()).isEqualTo(503);
        assertThat(report.get("endpoints").get(0).get("problem").asText()).isEqualTo("answered 503");
        assertThat(report.get("checks")).as("--no-admin asks no admin port").isEmpty();
        assertThat(site.adminPolls()).isEqualTo(1);
    }

    @Test
    void anUnreachableUrlAmongSeveralIsDownAndExitsTwo() throws Exception {
        String unreachable = "http://127.0.0.1:" + closedPort() + "/health";

        OpsRun run = health(site.healthUrl(), unreachable, "--admin", site.base());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).startsWith("DOWN  " + unreachable + " refused the connection (not running?)\n")
                .containsPattern("  OK    " + quoted(site.healthUrl()) + " +200 in \\d+ ms")
                .containsPattern("  FAIL  " + quoted(unreachable) + " +refused the connection");
        assertThat(run.err()).as("a report, not a failure of ops").isEmpty();
    }

    @Test
    void aSiteThatDoesNotAnswerInTimeIsDownWithinTheTimeout() throws Exception {
        site.answerAfter(Duration.ofSeconds(20));

        long start = System.nanoTime();
        OpsRun run = health(site.healthUrl(), "--no-admin", "--timeout", "300ms");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).startsWith("DOWN  " + site.healthUrl() + " did not answer within 300 ms\n");
        assertThat(took).as("bounded by the timeout, not by the site").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void withoutArgumentsItPollsTheUrlsFromConfig() throws Exception {
        config = new OpsConfig(temp).set("monitoring", "healthUrls", "[" + site.healthUrl() + "]")
                .set("monitoring", "adminUrl", site.base()).write();
        site.admin(500, FAILING_CHECK);

        OpsRun run = health();

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).startsWith("DEGRADED  database: Connection refused\n");
        assertThat(site.polls()).isEqualTo(1);
        assertThat(site.adminPolls()).isEqualTo(1);
    }

    private OpsRun health(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "health";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--config";
        full[args.length + 2] = config.toString();
        return OpsRun.of(full);
    }

    private static String quoted(String text) {
        return Pattern.quote(text);
    }

    /** A port on loopback that nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
