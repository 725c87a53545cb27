package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.CertsSetup;
import dev.athanor.ops.testing.Pebble;
import dev.athanor.ops.testing.TestCa;
import dev.athanor.ops.testing.TlsServer;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
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
 * Expiry alerts as the operator receives them (GreenMail is the mail server): one mail a day per certificate and
 * condition however often the check runs (overdue; expiring, with little time left or expired), a recovery note after
 * renewal, and a server that still presents an older certificate than the file.
 */
class CertsAlertsTest {

    @TempDir
    Path temp;

    private CertsSetup setup;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Pebble.installed(), "pebble is not installed (./dev test installs it)");
        setup = CertsSetup.start(temp, Duration.ofDays(90), 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void anOverdueCertificateMailsOnceADayAndARecoveryNoteFollowsRenewal() throws Exception {
        // a 90-day certificate, 70 days old: renewal was due at day 60 and is overdue since day 61
        Instant issued = Instant.now().minus(Duration.ofDays(70)).plus(Duration.ofHours(1));
        TestCa.Issued old = setup.ca().issue(List.of("localhost"), issued, issued.plus(Duration.ofDays(90)));
        new CertificateInstaller(new CertificateFiles(setup.certificate())).install(new CertificatePair(old.key(),
                old.chain()));

        for (int check = 0; check < 5; check++) {
            OpsRun run = ops("check");
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out()).contains("WARNING localhost: 20 days left (77% of 90 days used); OVERDUE");
        }
        assertThat(setup.mail().waitForIncomingEmail(5000, 1)).isTrue();
        Thread.sleep(500);
        MimeMessage[] mails = setup.mail().getReceivedMessages();
        assertThat(mails).as("five checks, one mail").hasSize(1);
        assertThat(mails[0].getSubject()).isEqualTo("[Athanor] localhost: certificate overdue for renewal");
        assertThat(GreenMailUtil.getBody(mails[0])).contains("OVERDUE: should have been renewed by")
                .contains("No renewal has been attempted yet");

        OpsRun renewal = ops("renew");
        assertThat(renewal.exitCode()).as(renewal.err()).isZero();
        assertThat(renewal.out()).contains("localhost: renewed");
        assertThat(ops("check").exitCode()).isZero();
        assertThat(setup.mail().waitForIncomingEmail(5000, 2)).isTrue();
        mails = setup.mail().getReceivedMessages();
        assertThat(mails).extracting(MimeMessage::getSubject).containsExactly(
                "[Athanor] localhost: certificate overdue for renewal",
                "[Athanor] RESOLVED: localhost: certificate renewed");
    }

    @Test
    void aCertificateWithLittleTimeLeftMailsTheExpiringAlertOnceADay() throws Exception {
        // a 90-day certificate with a day left: below the 3 days of urgentTimeLeft, long past its renewal
        Instant notAfter = Instant.now().plus(Duration.ofDays(1)).plus(Duration.ofMinutes(30));
        installExpiringAt(notAfter);

        String subject = expiringAlertSentOnce(", renew now");

        assertThat(subject).isEqualTo("[Athanor] localhost: certificate expires soon");
        assertThat(GreenMailUtil.getBody(setup.mail().getReceivedMessages()[1]))
                .contains("URGENT: expires " + notAfter.truncatedTo(ChronoUnit.SECONDS))
                .contains("No renewal has been attempted yet");
    }

    @Test
    void anExpiredCertificateMailsTheExpiringAlertOnceADay() throws Exception {
        Instant notAfter = Instant.now().minus(Duration.ofHours(5));
        installExpiringAt(notAfter);

        String subject = expiringAlertSentOnce("; EXPIRED at " + notAfter.truncatedTo(ChronoUnit.SECONDS));

        assertThat(subject).isEqualTo("[Athanor] localhost: certificate EXPIRED");
        assertThat(GreenMailUtil.getBody(setup.mail().getReceivedMessages()[1]))
                .contains("expired 5 h ago").contains("EXPIRED at " + notAfter.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void aServerPresentingAnOlderCertificateIsDetectedReloadedAndAlerted() throws Exception {
        assertThat(ops("issue").exitCode()).isZero();
        try (TlsServer server = setup.serve()) {
            setup.set("reloadCommands", "[\"true\"]"); // a reload that does not reload anything

            OpsRun renewal = ops("renew", "--force");

            assertThat(renewal.exitCode()).as(renewal.err()).isZero();
            assertThat(renewal.out()).contains("serves an older certificate").contains("reloading once more");
            assertThat(setup.mail().waitForIncomingEmail(5000, 1)).isTrue();
            assertThat(setup.mail().getReceivedMessages()[0].getSubject())
                    .isEqualTo("[Athanor] localhost: the server presents another certificate");

            OpsRun check = ops("check");
            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.out()).contains("WARNING localhost: " + server.address()
                    + " (localhost) serves an older certificate").contains("renewed but not reloaded");

            setup.set("reloadCommands", "[\"touch " + setup.reloadMarker() + "\"]");
            OpsRun fixed = ops("check");
            assertThat(fixed.exitCode()).as(fixed.out()).isZero();
            assertThat(fixed.out()).contains("reloading once").contains("serves the installed certificate");
            assertThat(server.reloads()).isEqualTo(1);
            assertThat(setup.mail().waitForIncomingEmail(5000, 2)).isTrue();
            assertThat(setup.mail().getReceivedMessages()[1].getSubject())
                    .isEqualTo("[Athanor] RESOLVED: localhost: the server presents the installed certificate");
        }
    }

    /** Installs a 90-day certificate for localhost that expires at {@code notAfter}. */
    private void installExpiringAt(Instant notAfter) throws IOException {
        TestCa.Issued pair = setup.ca().issue(List.of("localhost"), notAfter.minus(Duration.ofDays(90)), notAfter);
        new CertificateInstaller(new CertificateFiles(setup.certificate())).install(new CertificatePair(pair.key(),
                pair.chain()));
    }

    /**
     * Checks three times, as cron would within a day: each check exits 2 with {@code standing} on its line; the first
     * sends the overdue and the expiring alert, the later ones nothing. Returns the expiring alert's subject.
     */
    private String expiringAlertSentOnce(String standing) throws Exception {
        OpsRun first = ops("check");
        assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(2);
        assertThat(first.out()).startsWith("CRITICAL localhost: ").contains(standing);
        assertThat(setup.mail().waitForIncomingEmail(5000, 2)).as("the overdue and the expiring alert").isTrue();

        for (int check = 0; check < 2; check++) {
            OpsRun again = ops("check");
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.out()).contains(standing);
        }
        Thread.sleep(500);
        MimeMessage[] mails = setup.mail().getReceivedMessages();
        assertThat(mails).as("three checks the same day, each alert once").hasSize(2);
        assertThat(mails[0].getSubject()).isEqualTo("[Athanor] localhost: certificate overdue for renewal");
        return mails[1].getSubject();
    }

    private OpsRun ops(String... args) throws IOException {
        String[] full = new String[args.length + 3];
        full[0] = "certs";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--config";
        full[args.length + 2] = setup.config().toString();
        return OpsRun.of(full);
    }
}
