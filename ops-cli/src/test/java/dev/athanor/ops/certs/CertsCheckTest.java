package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.RenewalState;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.TestCa;
import dev.athanor.ops.testing.TlsServer;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops certs check} as cron runs it: exit 2 for the critical cases (an expired certificate, a configured one
 * never issued, one whose files are gone or unreadable), each named on its line; exit 0 for a fresh one. Certificates
 * are made by the tests' own CA with whatever dates a case needs; alerts go to GreenMail.
 */
class CertsCheckTest {

    @TempDir
    Path temp;

    private final TestCa ca = new TestCa();
    private GreenMail mail;
    private OpsConfig config;

    @BeforeEach
    void start() {
        mail = new GreenMail(new ServerSetup(TestPostgres.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        config = new OpsConfig(temp).mailTo(mail.getSmtp().getPort())
                .set("certificates", "domains", "[localhost]")
                .set("certificates", "servedAt", "\"\"")
                .set("certificates", "reloadCommands", "[]");
    }

    @AfterEach
    void stop() {
        mail.stop();
    }

    @Test
    void aFreshCertificateIsOk() throws Exception {
        Instant issued = Instant.now().minus(Duration.ofDays(10)).plus(Duration.ofHours(1));
        install(issued, issued.plus(Duration.ofDays(90)));

        OpsRun run = check();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("OK localhost: 80 days left (11% of 90 days used); renewal from");
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void statusCountsTheSameWholeDaysLeftAsCheck() throws Exception {
        Instant now = Instant.now();
        install(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1825)).plus(Duration.ofMinutes(23 * 60 + 58)));

        OpsRun check = check();
        OpsRun json = OpsRun.of("certs", "status", "--json", "--config", config.write().toString());
        OpsRun text = OpsRun.of("certs", "status", "--config", config.write().toString());

        assertThat(check.out()).startsWith("OK localhost: 1825 days left (");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode daysLeft = new ObjectMapper().readTree(json.out()).get(0).get("daysLeft");
        assertThat(daysLeft.isIntegralNumber()).as(json.out()).isTrue();
        assertThat(daysLeft.asLong()).isEqualTo(1825);
        assertThat(text.out()).contains(" (1825 days left, ");
    }

    @Test
    void anExpiredCertificateIsCritical() throws Exception {
        Instant notAfter = Instant.now().minus(Duration.ofDays(3)).minus(Duration.ofHours(1));
        install(notAfter.minus(Duration.ofDays(30)), notAfter);

        OpsRun run = check();

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).isEqualTo("CRITICAL localhost: expired 3 days ago (100% of 30 days used); EXPIRED at "
                + notAfter.truncatedTo(ChronoUnit.SECONDS) + "\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checkPrintsItsFindingsAsJsonForScriptsWithTheSameExitCode() throws Exception {
        Instant notAfter = Instant.now().minus(Duration.ofDays(3)).minus(Duration.ofHours(1));
        install(notAfter.minus(Duration.ofDays(30)), notAfter);

        OpsRun run = check("--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.path("status").asText()).isEqualTo("CRITICAL");
        assertThat(result.path("findings")).as(run.out()).hasSize(1);
        assertThat(result.path("findings").get(0).path("name").asText()).isEqualTo("localhost");
        assertThat(result.path("findings").get(0).path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(result.path("findings").get(0).path("message").asText())
                .startsWith("localhost: expired 3 days ago");
    }

    @Test
    void anUrgentCertificateSaysRenewalFailingOnlyWhenARenewalFailed() throws Exception {
        Instant notAfter = Instant.now().plus(Duration.ofDays(1)).plus(Duration.ofMinutes(30));
        CertificateFiles files = install(notAfter.minus(Duration.ofDays(90)), notAfter);
        String urgent = "URGENT: expires " + notAfter.truncatedTo(ChronoUnit.SECONDS);

        OpsRun neverTried = check();

        assertThat(neverTried.exitCode()).as(neverTried.out() + neverTried.err()).isEqualTo(2);
        assertThat(neverTried.out()).contains(urgent + ", renew now\n").doesNotContain("renewal failing");

        RenewalState state = files.state();
        state.lastAttempt = Instant.now().minus(Duration.ofHours(2));
        state.lastOutcome = "failed";
        state.lastError = "validation of localhost failed";
        state.consecutiveFailures = 1;
        state.write(files.stateFile());

        OpsRun failed = check();

        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.out()).contains(urgent + ", renewal failing\n");
    }

    @Test
    void aConfiguredCertificateThatWasNeverIssuedIsCritical() throws Exception {
        OpsRun run = check();

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).isEqualTo("CRITICAL localhost: configured but no certificate issued yet (run ops certs"
                + " issue)\n");
    }

    @Test
    void aManagedCertificateWhoseFilesAreGoneIsCritical() throws Exception {
        Instant issued = Instant.now().minus(Duration.ofDays(10));
        CertificateFiles files = install(issued, issued.plus(Duration.ofDays(90)));
        RenewalState state = new RenewalState();
        state.names = List.of("localhost");
        state.write(files.stateFile());
        Files.delete(files.current()); // someone cleaned up by hand

        OpsRun run = check();

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).isEqualTo("CRITICAL localhost: no certificate installed\n");
    }

    @Test
    void anUnreadableCertificateFileIsCritical() throws Exception {
        Instant issued = Instant.now().minus(Duration.ofDays(10));
        CertificateFiles files = install(issued, issued.plus(Duration.ofDays(90)));
        Path chain = files.chain().toRealPath();
        Files.writeString(chain, "not a certificate\n");

        OpsRun run = check();

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).startsWith("CRITICAL localhost: " + files.chain());
    }

    @Test
    void aLiveAddressPresentingAnOlderCertificateIsAlertedOnceAndNotReloaded() throws Exception {
        Path reloadMarker = temp.resolve("reloaded");
        config.set("certificates", "reloadCommands", "[\"touch " + reloadMarker + "\"]");
        Instant old = Instant.now().minus(Duration.ofDays(40));
        install(old, old.plus(Duration.ofDays(90)));
        try (TlsServer server = new TlsServer(temp.resolve("certificates").resolve("localhost"), reloadMarker)) {
            Instant renewed = Instant.now().minus(Duration.ofHours(1));
            install(renewed, renewed.plus(Duration.ofDays(90))); // renewed, but the server was never reloaded

            OpsRun first = check("--live", server.address());

            assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(1);
            assertThat(first.out()).contains("WARNING localhost: " + server.address()
                    + " (localhost) serves an older certificate").contains("renewed but not reloaded");
            assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
            assertThat(mail.getReceivedMessages()[0].getSubject())
                    .isEqualTo("[Athanor] localhost: " + server.address() + " presents another certificate");
            assertThat((String) mail.getReceivedMessages()[0].getContent()).contains("renewed but not reloaded")
                    .contains("ops does not reload for an address given with --live");
            assertThat(server.reloads()).as("a --live address is not ours to reload").isZero();
            assertThat(reloadMarker).doesNotExist();

            OpsRun again = check("--live", server.address());
            assertThat(again.exitCode()).isEqualTo(1);
            Thread.sleep(500);
            assertThat(mail.getReceivedMessages()).as("the same day: no second mail").hasSize(1);

            Files.writeString(reloadMarker, "the operator reloads the server"); // as systemctl reload would
            OpsRun fixed = check("--live", server.address());
            assertThat(fixed.exitCode()).as(fixed.out()).isZero();
            assertThat(fixed.out()).contains(server.address() + " (localhost) serves the installed certificate");
            assertThat(mail.waitForIncomingEmail(5000, 2)).isTrue();
            assertThat(mail.getReceivedMessages()[1].getSubject()).isEqualTo("[Athanor] RESOLVED: localhost: "
                    + server.address() + " presents the installed certificate");
        }
    }

    @Test
    void aLiveAddressThatIsServedAtIsReloadedOnceLikeTheConfiguredCheck() throws Exception {
        Path reloadMarker = temp.resolve("reloaded");
        config.set("certificates", "reloadCommands", "[\"touch " + reloadMarker + "\"]");
        Instant old = Instant.now().minus(Duration.ofDays(40));
        install(old, old.plus(Duration.ofDays(90)));
        try (TlsServer server = new TlsServer(temp.resolve("certificates").resolve("localhost"), reloadMarker)) {
            config.set("certificates", "servedAt", server.address());
            Instant renewed = Instant.now().minus(Duration.ofHours(1));
            install(renewed, renewed.plus(Duration.ofDays(90)));

            OpsRun run = check("--live", server.address());

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("reloading once").contains("serves the installed certificate");
            assertThat(server.reloads()).isEqualTo(1);
            Thread.sleep(500);
            assertThat(mail.getReceivedMessages()).as("reloading fixed it: nothing to alert").isEmpty();
        }
    }

    private CertificateFiles install(Instant notBefore, Instant notAfter) throws Exception {
        TestCa.Issued issued = ca.issue(List.of("localhost"), notBefore, notAfter);
        CertificateFiles files = new CertificateFiles(temp.resolve("certificates").resolve("localhost"));
        new CertificateInstaller(files).install(new CertificatePair(issued.key(), issued.chain()));
        return files;
    }

    private OpsRun check(String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("certs", "check"));
        args.addAll(List.of(options));
        args.addAll(List.of("--config", config.write().toString()));
        return OpsRun.of(args.toArray(new String[0]));
    }
}
