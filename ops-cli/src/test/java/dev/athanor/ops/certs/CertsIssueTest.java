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
import dev.athanor.ops.testing.TlsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops certs issue} against a real ACME server: HTTP-01 answered from the webroot, the pair installed, served
 * over TLS by a test server and read back with {@code check --live}.
 */
class CertsIssueTest {

    @TempDir
    static Path temp;

    private static CertsSetup setup;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Pebble.installed(), "pebble is not installed (./dev test installs it)");
        setup = CertsSetup.start(temp, Duration.ofDays(90), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void issuesInstallsAndServesACertificate() throws Exception {
        OpsRun issue = OpsRun.of("certs", "issue", "localhost", "--config", setup.config().toString());

        assertThat(issue.exitCode()).as(issue.err() + issue.out()).isZero();
        assertThat(issue.out()).contains("localhost: issued; valid until");
        CertificateFiles files = new CertificateFiles(setup.certificate());
        CertificateDetails installed = CertificateDetails.of(files.currentChain().orElseThrow().get(0));
        assertThat(installed.names()).containsExactly("localhost");
        assertThat(installed.issuer()).startsWith("Pebble Intermediate CA");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key().toRealPath())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("account-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(Files.exists(setup.reloadMarker())).as("the reload command ran").isTrue();
        assertThat(setup.webroot().resolve(".well-known/acme-challenge")).isEmptyDirectory();

        try (TlsServer server = setup.serve()) {
            OpsRun check = OpsRun.of("certs", "check", "--live", server.address(), "--config",
                    setup.config().toString());

            assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
            assertThat(check.out()).contains("OK localhost: ").contains("left")
                    .contains("OK localhost: " + server.address() + " (localhost) serves the installed certificate");
        }

        OpsRun status = OpsRun.of("certs", "status", "--json", "--config", setup.config().toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(status.out()).get(0);
        assertThat(json.get("name").asText()).isEqualTo("localhost");
        assertThat(json.get("serial").asText()).isEqualTo(installed.serial());
        assertThat(json.get("daysLeft").asDouble()).isBetween(89.0, 90.0);
        assertThat(json.get("standing").asText()).isEqualTo("fresh");
        assertThat(json.get("renewalWindowSource").asText()).isEqualTo("lifetime");
        assertThat(json.get("lastOutcome").asText()).isEqualTo("issued");
    }

    @Test
    void theBuiltInResponderAnswersWhenNothingListensOnPort80(@TempDir Path own) throws Exception {
        try (CertsSetup bare = CertsSetup.start(own, Duration.ofDays(90), 0).withoutWebServer()) {
            bare.set("challenge", "standalone").set("responderHost", "127.0.0.1")
                    .set("responderPort", Integer.toString(bare.pebble().httpPort()));

            OpsRun issue = OpsRun.of("certs", "issue", "localhost", "--config", bare.config().toString());

            assertThat(issue.exitCode()).as(issue.err()).isZero();
            assertThat(new CertificateFiles(bare.certificate()).currentChain()).isPresent();
            assertThat(bare.webroot().resolve(".well-known")).as("no webroot used").doesNotExist();
        }
    }
}
