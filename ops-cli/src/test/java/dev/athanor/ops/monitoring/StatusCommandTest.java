package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.athanor.AthanorApplication;
import dev.athanor.AthanorVersion;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.ops.certs.CertificateInstaller;
import dev.athanor.ops.certs.CertificatePair;
import dev.athanor.ops.testing.TestCa;
import dev.athanor.platform.db.Migrations;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.testing.ArchivingCluster;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ops status} beyond the backups (those are in {@link BackupStatusTest}): the real site started in this JVM
 * gives its release and uptime through its admin port's {@code /metrics}; certificates made by the tests' CA are shown
 * with their days left; the disk, the memory, the database's size and connections are read for real; the alerts that
 * {@code ops certs check} sent to GreenMail are the last alerts. Both the screen and {@code --json}.
 */
class StatusCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsTheSiteCertificatesDiskMemoryDatabaseAndTheLastAlerts() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Path directory = TestPostgres.newDirectory("ops-status");
        Files.createDirectories(directory.resolve("logs"));
        TestCa ca = new TestCa();
        Instant issued = Instant.now().minus(Duration.ofDays(10)).plus(Duration.ofHours(1));
        install(ca.issue(List.of("localhost"), issued, issued.plus(Duration.ofDays(90))), directory, "localhost");
        Instant expired = Instant.now().minus(Duration.ofDays(2)).minus(Duration.ofHours(1));
        install(ca.issue(List.of("old.example.test"), expired.minus(Duration.ofDays(30)), expired), directory,
                "old.example.test");

        GreenMail mail = new GreenMail(new ServerSetup(TestPostgres.freePort(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        mail.start();
        int port = TestPostgres.freePort();
        int adminPort = TestPostgres.freePort();
        Path config = TestConfig.on(database, directory)
                .set("ATHANOR_PORT", Integer.toString(port))
                .set("ATHANOR_ADMIN_PORT", Integer.toString(adminPort))
                .set("ATHANOR_DOMAINS", "localhost")
                .set("ATHANOR_ALERT_EMAIL", "ops@example.com")
                .set("SMTP_HOST", "127.0.0.1")
                .set("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()))
                .replace("startTls: true", "startTls: false")
                .replace("servedAt: 127.0.0.1:443", "servedAt: \"\"")
                .replace("reloadCommands: [\"nginx -t\", \"systemctl reload nginx\"]", "reloadCommands: []")
                .write(directory);
        long launched = System.nanoTime();
        // The site as production runs it (its own JVM, "server config.yml"): the JVM gauges /metrics reports are
        // registered by Application.run, which the in-JVM test support skips.
        try (JavaProcess site = JavaProcess.start(directory.resolve("site.out"), AthanorApplication.class, "server",
                config.toString())) {
            assertThat(site.awaitOutput("Started oejs.Server", Duration.ofSeconds(90))).as(site.output()).isTrue();
            OpsRun check = OpsRun.of("certs", "check", "--config", config.toString());
            assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(2);
            assertThat(mail.waitForIncomingEmail(5000, 2)).as("the overdue and the expired alert").isTrue();

            OpsRun status = OpsRun.of("status", "--json", "--config", config.toString());
            Duration sinceLaunch = Duration.ofNanos(System.nanoTime() - launched);

            assertThat(status.exitCode()).as(status.out() + status.err()).isEqualTo(1);
            JsonNode json = JSON.readTree(status.out());
            assertThat(json.at("/site/version").asText()).as(json.get("site").toString())
                    .isEqualTo(AthanorVersion.current());
            assertThat(json.at("/site/uptime").isTextual()).as(json.get("site").toString()).isTrue();
            assertThat(Duration.parse(json.at("/site/uptime").asText())).as("the site's JVM uptime")
                    .isPositive().isLessThan(sinceLaunch);
            assertThat(Duration.parse(json.at("/site/serverUptime").asText())).isPositive();

            JsonNode certificates = json.get("certificates");
            assertThat(certificates).extracting(certificate -> certificate.get("name").asText())
                    .containsExactlyInAnyOrder("localhost", "old.example.test");
            JsonNode fresh = byName(certificates, "localhost");
            // whole days, as ops certs check and ops certs status count them (80.04 left)
            assertThat(fresh.get("daysLeft").isIntegralNumber()).as(fresh.toString()).isTrue();
            assertThat(fresh.get("daysLeft").asLong()).isEqualTo(80);
            assertThat(fresh.get("standing").asText()).isEqualTo("fresh");
            assertThat(fresh.get("description").asText()).startsWith("80 days left (11% of 90 days used)");
            JsonNode old = byName(certificates, "old.example.test");
            assertThat(old.get("daysLeft").asLong()).as("expired 2.04 days ago").isEqualTo(-2);
            assertThat(old.get("standing").asText()).isEqualTo("expired");

            JsonNode data = json.get("disks").get(0);
            assertThat(data.get("name").asText()).isEqualTo("data");
            assertThat(data.get("directory").asText()).isEqualTo(directory.toString());
            long total = Files.getFileStore(directory).getTotalSpace();
            assertThat(data.get("totalBytes").asLong()).isEqualTo(total);
            assertThat(data.get("usableBytes").asLong()).isPositive().isLessThanOrEqualTo(total);
            assertThat(json.get("disks").get(1).get("name").asText()).isEqualTo("logs");

            assertThat(json.at("/memory/totalBytes").asLong()).isEqualTo(memTotal());
            assertThat(json.at("/memory/availableBytes").asLong()).isPositive().isLessThan(memTotal());

            JsonNode db = json.get("database");
            assertThat(db.get("problem").isNull()).as(db.toString()).isTrue();
            long size = Databases.queryLong(database, "select pg_database_size(current_database())");
            assertThat(db.get("sizeBytes").asLong()).isCloseTo(size, within(1_048_576L));
            assertThat(db.get("connections").asInt()).as("the site's pool and ops' own connection")
                    .isGreaterThanOrEqualTo(2);
            assertThat(db.get("maxConnections").asLong()).isEqualTo(Databases.queryLong(database,
                    "select current_setting('max_connections')::int"));

            assertThat(json.at("/pitr/archive").asText()).isEqualTo("archiving off");
            assertThat(json.at("/pitr/setUp").asBoolean()).isFalse();
            assertThat(json.at("/alerts/recent")).extracting(alert -> alert.get("subject").asText())
                    .containsExactlyInAnyOrder("[Athanor] old.example.test: certificate overdue for renewal",
                            "[Athanor] old.example.test: certificate EXPIRED");
            assertThat(json.at("/alerts/destinations")).extracting(JsonNode::asText).singleElement().asString()
                    .contains("ops@example.com");
            assertThat(json.get("problems")).extracting(JsonNode::asText)
                    .anyMatch(problem -> problem.startsWith("certificate old.example.test: expired 2 days ago"))
                    .contains("open alert: old.example.test: certificate EXPIRED")
                    .anyMatch(problem -> problem.startsWith("site DEGRADED: certificates: ")
                            && problem.contains("old.example.test: expired"))
                    .noneMatch(problem -> problem.startsWith("certificate localhost") || problem.startsWith("database")
                            || problem.startsWith("disk"));

            OpsRun screen = OpsRun.of("status", "--config", config.toString());
            assertThat(screen.exitCode()).isEqualTo(1);
            assertThat(screen.out()).doesNotContain("\u001b[")
                    .containsPattern("(?m)^Athanor status at .*   \\d+ PROBLEM\\(S\\)$")
                    .containsPattern("(?m)^  ! certificate old.example.test: expired 2 days ago")
                    .containsPattern("(?m)^Site +\\S+ .*; release " + Pattern.quote(AthanorVersion.current())
                            + "; up [^;]+; server up .+$")
                    .containsPattern("(?m)^Cert +localhost: 80 days left \\(11% of 90 days used\\); renewal from ")
                    .containsPattern("(?m)^Cert +old.example.test: expired 2 days ago \\(100% of 30 days used\\);"
                            + " EXPIRED at ")
                    .containsPattern("(?m)^Disk data +[0-9.]+ [KMGT]iB free of [0-9.]+ [KMGT]iB on "
                            + Pattern.quote(directory.toString()) + "$")
                    .containsPattern("(?m)^Memory +[0-9.]+ [KMGT]iB available of [0-9.]+ [KMGT]iB")
                    .containsPattern("(?m)^Database +[0-9.]+ [KMG]iB, \\d+ of \\d+ connections \\(.+\\)$")
                    .containsPattern("(?m)^PITR +not set up \\(ops pitr setup\\); archiving off$")
                    .containsPattern("(?m)^Alert +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\[Athanor\\] old.example.test:"
                            + " certificate EXPIRED$");
            assertThat(site.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        } finally {
            mail.stop();
        }
    }

    /**
     * Point-in-time recovery in {@code ops status}: the archive's lag and a failing push (a real PostgreSQL whose
     * archive_command fails while told to), and the last restore drill once set up; a failed one needs attention.
     */
    @Test
    void showsTheArchiveAndTheLastDrillAndAFailingPushOrDrillIsAProblem() throws Exception {
        try (ArchivingCluster cluster = ArchivingCluster.start("ops-status-pitr")) {
            cluster.archive();
            TestDatabase database = cluster.database();
            new Migrations(database.dataSource()).migrate();
            Path directory = TestPostgres.newDirectory("ops-status-pitr");
            Path config = TestConfig.on(database, directory).write(directory);
            Files.createDirectories(directory.resolve("pitr"));
            Files.writeString(directory.resolve("pitr/pgbackrest.conf"), "[global]\n");
            new DrillResult(Instant.parse("2026-12-06T05:30:00Z"), 331L, Instant.parse("2026-12-06T05:00:00Z"),
                    List.of("public.learners: 12 at the mark, 11 restored"), null, Duration.ofSeconds(48))
                    .save(directory);
            cluster.failPushes();
            cluster.writeAndSwitch();

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode json = JSON.readTree(OpsRun.of("status", "--json", "--config", config.toString()).out());
            while (!json.at("/pitr/archive").asText().contains("FAILING")) {
                assertThat(System.nanoTime()).as(json.get("pitr").toString()).isLessThan(deadline);
                Thread.sleep(300);
                json = JSON.readTree(OpsRun.of("status", "--json", "--config", config.toString()).out());
            }
            assertThat(json.at("/pitr/setUp").asBoolean()).isTrue();
            assertThat(json.at("/pitr/archive").asText()).matches("lag \\S.* \\(\\d+ segment\\(s\\) waiting\\);"
                    + " FAILING: archiving [0-9A-F]{24} failed .*");
            assertThat(json.get("problems")).extracting(JsonNode::asText)
                    .anyMatch(problem -> problem.matches("point-in-time recovery: archiving [0-9A-F]{24} failed .*"))
                    .contains("point-in-time recovery: the last restore drill failed (ops pitr status)");

            cluster.letPushesThrough();
            cluster.writeAndSwitch();
            OpsRun screen = OpsRun.of("status", "--config", config.toString());
            while (!screen.out().contains("nothing waiting")) {
                assertThat(System.nanoTime()).as(screen.out()).isLessThan(deadline);
                Thread.sleep(300);
                screen = OpsRun.of("status", "--config", config.toString());
            }
            assertThat(screen.out()).containsPattern("(?m)^PITR +nothing waiting; last archived [0-9A-F]{24} .* ago$")
                    .contains("PITR       drill 2026-12-06T05:30:00Z to mark 331 (2026-12-06T05:00:00Z) FAILED: 1 table(s)"
                            + " differ: public.learners: 12 at the mark, 11 restored (48 s)")
                    .doesNotContainPattern("(?m)^  ! point-in-time recovery: archiving");
        }
    }

    @Test
    void theWeeklyDigestMailListsEachCertificateWithItsDaysLeft() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Path directory = TestPostgres.newDirectory("ops-digest-certificates");
        TestCa ca = new TestCa();
        Instant issued = Instant.now().minus(Duration.ofDays(20)).plus(Duration.ofHours(1));
        install(ca.issue(List.of("learn.example.test", "www.learn.example.test"), issued,
                issued.plus(Duration.ofDays(45))), directory, "learn.example.test");
        Instant shortLived = Instant.now().minus(Duration.ofDays(5)).minus(Duration.ofHours(1));
        install(ca.issue(List.of("short.example.test"), shortLived, shortLived.plus(Duration.ofDays(6))), directory,
                "short.example.test");
        GreenMail mail = new GreenMail(new ServerSetup(TestPostgres.freePort(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try {
            Path config = TestConfig.on(database, directory)
                    .set("ATHANOR_ALERT_EMAIL", "ops@example.com")
                    .set("SMTP_HOST", "127.0.0.1")
                    .set("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()))
                    .replace("startTls: true", "startTls: false")
                    .write(directory);

            OpsRun digest = OpsRun.of("digest", "--send", "--config", config.toString());

            assertThat(digest.exitCode()).as(digest.out() + digest.err()).isZero();
            assertThat(digest.out()).contains("Sent: sent");
            assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
            String body = ((String) mail.getReceivedMessages()[0].getContent()).replace("\r\n", "\n");
            assertThat(body).containsPattern("(?m)^Certificates\n  (learn|short)\\.example\\.test: ")
                    .containsPattern("(?m)^  learn.example.test: 25 days left \\(44% of 45 days used\\); renewal from"
                            + " \\S+ \\(a third of the lifetime left\\)$")
                    .containsPattern("(?m)^  short.example.test: 2[23] h( \\d+ min)? left \\(8[0-9]% of 6 days used\\);"
                            + " URGENT: expires \\S+, renew now$")
                    .containsPattern("(?m)^  - certificate short.example.test: 2[23] h");
        } finally {
            mail.stop();
        }
    }

    private static void install(TestCa.Issued issued, Path directory, String name) throws Exception {
        CertificateFiles files = new CertificateFiles(directory.resolve("certificates").resolve(name));
        new CertificateInstaller(files).install(new CertificatePair(issued.key(), issued.chain()));
    }

    private static JsonNode byName(JsonNode certificates, String name) {
        for (JsonNode certificate : certificates) {
            if (certificate.get("name").asText().equals(name)) {
                return certificate;
            }
        }
        throw new AssertionError("no certificate " + name + " in " + certificates);
    }

    private static long memTotal() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
    }
}
