package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.CertsSetup;
import dev.athanor.ops.testing.Pebble;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal timing and faults with short-lived certificates from a real ACME server: renewed once a third of the
 * lifetime is left and left alone before; {@code --force}; rollback; a failed validation, a failed reload and an
 * unwritable directory.
 */
class CertsRenewalTest {

    private static final Duration LIFETIME = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private CertsSetup setup;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Pebble.installed(), "pebble is not installed (./dev test installs it)");
        setup = CertsSetup.start(temp, LIFETIME, 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void renewsAtAThirdOfTheLifetimeLeftAndNotBefore() throws Exception {
        assertThat(ops("issue").exitCode()).isZero();
        CertificateDetails first = installed();
        assertThat(first.lifetime()).isBetween(LIFETIME.minusSeconds(2), LIFETIME); // pebble: 59 s of 60
        Instant due = first.notBefore().plus(first.lifetime().multipliedBy(2).dividedBy(3));

        OpsRun early = ops("renew");
        assertThat(early.exitCode()).as(early.err()).isZero();
        assertThat(early.out()).contains("localhost: not due; renewal at " + due.truncatedTo(ChronoUnit.SECONDS));
        sleepUntil(due.minusSeconds(8)); // ample time for the check to run before it is due
        assertThat(ops("renew").out()).contains("not due");
        assertThat(installed()).isEqualTo(first);

        sleepUntil(due.plusMillis(200));
        OpsRun renewal = ops("renew");
        assertThat(renewal.exitCode()).as(renewal.err()).isZero();
        assertThat(renewal.out()).contains("localhost: renewed; valid until");
        CertificateDetails second = installed();
        assertThat(second.serial()).isNotEqualTo(first.serial());

        OpsRun again = ops("renew");
        assertThat(again.out()).as("fresh again: nothing to do").contains("not due");
        assertThat(installed()).isEqualTo(second);

        Map<String, String> beforeForce = pair();
        OpsRun forced = ops("renew", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        CertificateDetails third = installed();
        assertThat(third.serial()).isNotIn(first.serial(), second.serial());

        OpsRun rollback = ops("rollback", "localhost");
        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("rolled back to serial " + second.serial());
        assertThat(pair()).as("the previous pair, byte for byte").isEqualTo(beforeForce);
        OpsRun rollBackAgain = ops("rollback", "localhost");
        assertThat(rollBackAgain.exitCode()).isZero();
        assertThat(installed().serial()).isEqualTo(third.serial());
    }

    @Test
    void aForcedRenewalSaysItsResultOnce() throws Exception {
        assertThat(ops("issue").exitCode()).isZero();

        OpsRun forced = ops("renew", "--force");

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out().lines().filter(line -> line.startsWith("localhost: renewed; valid until")))
                .as(forced.out()).hasSize(1);
        OpsRun notDue = ops("renew");
        assertThat(notDue.out().lines().filter(line -> line.startsWith("localhost: not due;"))).as(notDue.out())
                .hasSize(1);
    }

    @Test
    void aFailedValidationTouchesNothingAndBacksOff() throws Exception {
        assertThat(ops("issue").exitCode()).isZero();
        Map<String, String> before = allFiles(setup.certificate());
        Files.delete(setup.reloadMarker());
        setup.set("retryAfterFailure", "1h").set("maxRetryAfterFailure", "4h");
        setup.set("webroot", temp.resolve("not-served").toString()); // pebble will find no answer there
        // A new account: pebble reuses the first one's valid authorization for 1 order in 100 even with
        // PEBBLE_AUTHZREUSE=0 (it creates a new one only when rand.Intn(100) > 0), and the order would then pass.
        setup.set("accountKey", temp.resolve("second-account-key.pem").toString());

        OpsRun failed = ops("renew", "--force");

        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(69);
        assertThat(failed.err()).startsWith("ops: the CA did not issue a certificate for localhost: validation of"
                + " localhost failed: ").contains("404");
        assertThat(allFiles(setup.certificate())).as("byte for byte").isEqualTo(before);
        assertThat(setup.reloadMarker()).as("no reload").doesNotExist();
        MimeMessage alert = awaitMail(1);
        assertThat(alert.getSubject()).isEqualTo("[Athanor] localhost: certificate renewal failed");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(alert)).contains("404")
                .contains("The installed certificate was not touched");

        long orders = setup.pebble().newOrders();
        sleepUntil(installed().notBefore().plus(installed().lifetime().multipliedBy(2).dividedBy(3)));
        OpsRun waiting = ops("renew");
        assertThat(waiting.exitCode()).as(waiting.out() + waiting.err()).isEqualTo(75);
        assertThat(waiting.err()).contains("localhost: not ordering again before").contains("back-off after 1");
        assertThat(setup.pebble().newOrders()).as("no order during the back-off").isEqualTo(orders);

        OpsRun forcedAgain = ops("renew", "--force");
        assertThat(forcedAgain.exitCode()).as("--force overrides the back-off: " + forcedAgain.out()
                + forcedAgain.err()).isEqualTo(69);
        JsonNode status = new ObjectMapper().readTree(ops("status", "--json").out()).get(0);
        Instant next = Instant.parse(status.get("nextAttemptNotBefore").asText());
        assertThat(Duration.between(Instant.now(), next)).as("the back-off doubles: 1 h, then 2 h")
                .isBetween(Duration.ofMinutes(118), Duration.ofMinutes(120));
        assertThat(status.get("lastOutcome").asText()).isEqualTo("failed");
        assertThat(setup.mail().getReceivedMessages()).as("one alert a day, however often it fails").hasSize(1);

        setup.set("webroot", setup.webroot().toString());
        OpsRun recovered = ops("renew", "--force");
        assertThat(recovered.exitCode()).as(recovered.err()).isZero();
        assertThat(recovered.out()).contains("renewed");
        assertThat(awaitMail(2).getSubject()).isEqualTo("[Athanor] RESOLVED: localhost: renewal works again");
        JsonNode after = new ObjectMapper().readTree(ops("status", "--json").out()).get(0);
        assertThat(after.has("nextAttemptNotBefore")).isFalse();
        assertThat(after.get("standing").asText()).isEqualTo("fresh");
    }

    @Test
    void aFailingReloadIsReportedAndAlerted() throws Exception {
        setup.set("reloadCommands", "[\"echo nginx: configuration test failed >&2; exit 1\"]");

        OpsRun issue = ops("issue");

        assertThat(issue.exitCode()).isEqualTo(71);
        assertThat(issue.err()).contains("the reload command \"echo nginx: configuration test failed >&2; exit 1\""
                + " exited 1: nginx: configuration test failed");
        assertThat(new CertificateFiles(setup.certificate()).currentChain()).as("installed all the same").isPresent();
        assertThat(awaitMail(1).getSubject()).isEqualTo("[Athanor] localhost: the web server was not reloaded");
        assertThat(ops("status").out()).contains("reload-failed");
    }

    @Test
    void anUnwritableDirectoryFailsBeforeAnyOrder() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("a-file"), "x");
        setup.set("directory", notADirectory.resolve("certificates").toString());
        long orders = setup.pebble().newOrders();

        OpsRun issue = ops("issue");

        assertThat(issue.exitCode()).isEqualTo(73);
        assertThat(issue.err()).startsWith("ops: " + notADirectory.resolve("certificates")).contains("not writable")
                .contains("nothing was ordered");
        setup.set("directory", setup.certificateRoot().toString()).set("webroot", notADirectory.resolve("www")
                .toString());
        OpsRun webroot = ops("issue");
        assertThat(webroot.exitCode()).isEqualTo(73);
        assertThat(webroot.err()).contains(notADirectory.resolve("www/.well-known/acme-challenge").toString());
        assertThat(setup.pebble().newOrders()).isEqualTo(orders);
    }

    private OpsRun ops(String... args) throws IOException {
        String[] full = new String[args.length + 3];
        full[0] = "certs";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--config";
        full[args.length + 2] = setup.config().toString();
        return OpsRun.of(full);
    }

    private CertificateDetails installed() throws IOException {
        return CertificateDetails.of(new CertificateFiles(setup.certificate()).currentChain().orElseThrow().get(0));
    }

    private Map<String, String> pair() throws IOException {
        CertificateFiles files = new CertificateFiles(setup.certificate());
        return new TreeMap<>(Map.of("chain", Files.readString(files.chain()), "key", Files.readString(files.key())));
    }

    private static Map<String, String> allFiles(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = directory.relativize(path).toString();
                if (!name.equals("renewal.json") && !name.equals(".lock")) {
                    files.put(name, Files.readString(path));
                }
            }
        }
        files.put("current -> ", Files.readSymbolicLink(directory.resolve("current")).toString());
        return files;
    }

    private MimeMessage awaitMail(int count) throws InterruptedException {
        assertThat(setup.mail().waitForIncomingEmail(10_000, count)).as(count + " mail(s)").isTrue();
        return setup.mail().getReceivedMessages()[count - 1];
    }

    private static void sleepUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
