package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.RenewalState;
import dev.athanor.ops.certs.CertificateInstaller;
import dev.athanor.ops.certs.CertificatePair;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.TestCa;
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

    private CertificateFiles install(Instant notBefore, Instant notAfter) throws Exception {
        TestCa.Issued issued = ca.issue(List.of("localhost"), notBefore, notAfter);
        CertificateFiles files = new CertificateFiles(temp.resolve("certificates").resolve("localhost"));
        new CertificateInstaller(files).install(new CertificatePair(issued.key(), issued.chain()));
        return files;
    }

    private OpsRun check() throws Exception {
        return OpsRun.of("certs", "check", "--config", config.write().toString());
    }
}
