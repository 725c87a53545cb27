package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.CertsSetup;
import dev.athanor.ops.testing.FakeCaFront;
import dev.athanor.ops.testing.Pebble;
import dev.athanor.ops.testing.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops certs renew --dry-run} against a real ACME server (pebble): it says what it would do, places no order
 * (pebble's log counts them), runs no reload, sends no mail, and leaves every file under the certificate directory
 * and the account key byte for byte as they were.
 */
class CertsDryRunTest {

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
    void beforeTheFirstIssueItOrdersNothingAndCreatesNoAccount() throws Exception {
        OpsRun dryRun = ops("renew", "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
        assertThat(dryRun.out()).isEqualTo("localhost: would issue now (dry run: nothing ordered)\n");
        assertThat(setup.pebble().newOrders()).isZero();
        assertThat(temp.resolve("account-key.pem")).as("no ACME account created").doesNotExist();
        assertThat(new CertificateFiles(setup.certificate()).currentChain()).isEmpty();
        assertThat(setup.reloadMarker()).doesNotExist();
    }

    @Test
    void aFreshCertificateIsLeftAsItIsEvenWithForce() throws Exception {
        OpsRun issue = ops("issue");
        assertThat(issue.exitCode()).as(issue.out() + issue.err()).isZero();
        Files.delete(setup.reloadMarker());
        Map<String, String> before = snapshot();
        long orders = setup.pebble().newOrders();
        assertThat(orders).isEqualTo(1);

        OpsRun notDue = ops("renew", "--dry-run");
        assertThat(notDue.exitCode()).as(notDue.out() + notDue.err()).isZero();
        assertThat(notDue.out()).startsWith("localhost: not due; renewal at ");
        assertThat(snapshot()).as("byte for byte").isEqualTo(before);

        OpsRun forced = ops("renew", "--dry-run", "--force");
        assertThat(forced.exitCode()).as(forced.out() + forced.err()).isZero();
        assertThat(forced.out()).isEqualTo("localhost: would renew now (dry run: nothing ordered)\n");

        assertThat(snapshot()).as("byte for byte").isEqualTo(before);
        assertThat(setup.pebble().newOrders()).as("no order placed").isEqualTo(orders);
        assertThat(setup.reloadMarker()).as("no reload").doesNotExist();
        assertThat(setup.mail().getReceivedMessages()).isEmpty();
    }

    @Test
    void aDueCertificateIsReportedAndLeftAsItIs() throws Exception {
        // a 90-day certificate, 70 days old: due (and overdue) for renewal
        Instant issued = Instant.now().minus(Duration.ofDays(70));
        TestCa.Issued old = setup.ca().issue(List.of("localhost"), issued, issued.plus(Duration.ofDays(90)));
        new CertificateInstaller(new CertificateFiles(setup.certificate())).install(new CertificatePair(old.key(),
                old.chain()));
        Map<String, String> before = snapshot();

        OpsRun dryRun = ops("renew", "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
        assertThat(dryRun.out()).endsWith("localhost: would renew now (dry run: nothing ordered)\n");
        assertThat(snapshot()).as("byte for byte").isEqualTo(before);
        assertThat(setup.pebble().newOrders()).as("no order placed").isZero();
        assertThat(setup.reloadMarker()).as("no reload").doesNotExist();

        OpsRun renewal = ops("renew");
        assertThat(renewal.exitCode()).as(renewal.out() + renewal.err()).isZero();
        assertThat(renewal.out()).contains("localhost: renewed");
        assertThat(setup.pebble().newOrders()).as("the real run orders, so the count would see one").isEqualTo(1);
        assertThat(snapshot()).isNotEqualTo(before);
    }

    @Test
    void withTheCasRenewalInfoItRecordsNothing() throws Exception {
        try (FakeCaFront front = new FakeCaFront(setup.ca(), setup.pebble())) {
            setup.set("directoryUrl", front.directoryUrl());
            OpsRun issue = ops("issue");
            assertThat(issue.exitCode()).as(issue.out() + issue.err()).isZero();
            Instant start = Instant.now().plus(Duration.ofHours(1));
            front.renewalWindow(start, start.plus(Duration.ofHours(2)));
            Map<String, String> before = snapshot();

            OpsRun notDue = ops("renew", "--dry-run");
            assertThat(notDue.exitCode()).as(notDue.out() + notDue.err()).isZero();
            assertThat(notDue.out()).startsWith("localhost: not due; renewal at ");
            assertThat(snapshot()).as("the renewal state too, byte for byte").isEqualTo(before);

            front.renewalWindow(Instant.now().minusSeconds(120), Instant.now().minusSeconds(1));
            OpsRun due = ops("renew", "--dry-run");
            assertThat(due.out()).isEqualTo("localhost: would renew now (dry run: nothing ordered)\n");
            assertThat(snapshot()).as("byte for byte").isEqualTo(before);
            assertThat(front.orders()).as("only the first issue was ordered").hasSize(1);
        }
    }

    /**
     * Every file under the certificate directory (contents in Base64, links as their targets) and the account key;
     * but the empty {@code .lock} that every run holds while it decides, so that two runs never renew at once.
     */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path root = setup.certificateRoot();
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.toList()) {
                    String name = root.relativize(path).toString();
                    if (path.getFileName().toString().equals(".lock")) {
                        continue;
                    }
                    if (Files.isSymbolicLink(path)) {
                        files.put(name, "-> " + Files.readSymbolicLink(path));
                    } else if (Files.isRegularFile(path)) {
                        files.put(name, Base64.getEncoder().encodeToString(Files.readAllBytes(path)));
                    } else {
                        files.put(name + "/", "");
                    }
                }
            }
        }
        Path accountKey = temp.resolve("account-key.pem");
        files.put("account key", Files.exists(accountKey) ? Files.readString(accountKey) : "none");
        return files;
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
