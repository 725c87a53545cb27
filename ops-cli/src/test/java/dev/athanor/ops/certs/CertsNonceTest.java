package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.CertsSetup;
import dev.athanor.ops.testing.Pebble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Twenty issuances in a row while pebble rejects a fifth of all good nonces as bad: every one succeeds. */
class CertsNonceTest {

    @TempDir
    Path temp;

    @Test
    void twentyIssuancesWithTwentyPercentOfNoncesRejected() throws Exception {
        assumeTrue(Pebble.installed(), "pebble is not installed (./dev test installs it)");
        try (CertsSetup setup = CertsSetup.start(temp, Duration.ofDays(90), 20)) {
            Set<String> serials = new HashSet<>();
            for (int issuance = 1; issuance <= 20; issuance++) {
                OpsRun issue = OpsRun.of("certs", "issue", "localhost", "--config", setup.config().toString());

                assertThat(issue.exitCode()).as("issuance " + issuance + ": " + issue.err()).isZero();
                serials.add(CertificateDetails.of(new CertificateFiles(setup.certificate()).currentChain()
                        .orElseThrow().get(0)).serial());
            }
            assertThat(serials).hasSize(20);
            String log = Files.readString(setup.pebble().log());
            assertThat(log).contains("Configured to reject 20% of good nonces");
            // each issuance makes exactly one account, one order and one finalize request; more in pebble's log
            // means requests were refused for their nonce and sent again
            long sent = Stream.of("POST /sign-me-up", "POST /order-plz", "POST /finalize-order")
                    .mapToLong(request -> log.lines().filter(line -> line.contains(request)).count()).sum();
            assertThat(sent).as("requests retried after a rejected nonce").isGreaterThan(60);
        }
    }
}
