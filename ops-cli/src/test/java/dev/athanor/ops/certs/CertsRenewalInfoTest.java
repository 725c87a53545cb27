package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.CertsSetup;
import dev.athanor.ops.testing.FakeCaFront;
import dev.athanor.ops.testing.Pebble;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal where the CA publishes renewal information (ARI), and the CA's refusals, with a fake in front of pebble:
 * the window decides (at a random moment in it), {@code replaces} names the old certificate, a rejected replacement
 * is ordered again without it, and a rate limit's Retry-After is respected to the second.
 */
class CertsRenewalInfoTest {

    @TempDir
    Path temp;

    private CertsSetup setup;
    private FakeCaFront front;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Pebble.installed(), "pebble is not installed (./dev test installs it)");
        setup = CertsSetup.start(temp, Duration.ofDays(90), 0);
        front = new FakeCaFront(setup.ca(), setup.pebble());
        setup.set("directoryUrl", front.directoryUrl());
    }

    @AfterEach
    void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void renewsAtARandomMomentInTheCasWindowReplacingTheOldCertificate() throws Exception {
        assertThat(ops("issue").exitCode()).isZero();
        X509Certificate first = installed();
        Instant start = Instant.now().plus(Duration.ofHours(1));
        front.renewalWindow(start, start.plus(Duration.ofHours(2)));

        OpsRun early = ops("renew");
        assertThat(early.exitCode()).as(early.err()).isZero();
        assertThat(early.out()).contains("localhost: not due; renewal at");
        JsonNode status = status();
        assertThat(status.get("renewalWindowSource").asText()).isEqualTo("ari");
        Instant renewAt = Instant.parse(status.get("renewAt").asText());
        assertThat(renewAt).isBetween(start, start.plus(Duration.ofHours(2)));
        assertThat(ops("renew").out()).as("the moment is chosen once, not re-drawn each run")
                .contains(renewAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        assertThat(front.orders()).as("nothing ordered before the window").hasSize(1);

        // A window that has begun, with every moment in it already past (a moment in its last second would be
        // "not due yet" for that second).
        front.renewalWindow(Instant.now().minusSeconds(120), Instant.now().minusSeconds(1));
        OpsRun renewal = ops("renew");

        assertThat(renewal.exitCode()).as(renewal.err()).isZero();
        assertThat(renewal.out()).contains("localhost: renewed");
        assertThat(front.orders()).hasSize(2);
        assertThat(front.orders().get(1).replaces()).contains(certificateId(first));
        assertThat(installed().getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    }

    @Test
    void aRejectedReplacementIsOrderedAgainWithoutReplacesAndWarns() throws Exception {
        assertThat(ops("issue").exitCode()).isZero();
        // A window that has begun, with every moment in it already past (a moment in its last second would be
        // "not due yet" for that second).
        front.renewalWindow(Instant.now().minusSeconds(120), Instant.now().minusSeconds(1));
        front.rejectReplacements(true);

        OpsRun renewal = ops("renew");

        assertThat(renewal.exitCode()).as(renewal.err()).isZero();
        assertThat(renewal.out()).contains("warning: localhost: the CA rejected the order as a replacement")
                .contains("ordering a new certificate without \"replaces\"").contains("localhost: renewed");
        assertThat(front.orders()).hasSize(3);
        assertThat(front.orders().get(1).replaces()).isPresent();
        assertThat(front.orders().get(2).replaces()).isEmpty();
    }

    @Test
    void aRateLimitIsRespectedToTheSecond() throws Exception {
        assertThat(ops("issue").exitCode()).isZero();
        front.rateLimitOrders(1, 4);

        OpsRun limited = ops("renew", "--force");

        assertThat(limited.exitCode()).isEqualTo(75);
        assertThat(limited.err()).contains("rate-limited").contains("too many certificates for this name")
                .contains("retry after");
        Instant retryAfter = Instant.parse(status().get("nextAttemptNotBefore").asText());
        assertThat(retryAfter).isBetween(Instant.now().plusSeconds(1), Instant.now().plusSeconds(5));

        int tries = 0;
        OpsRun renewal;
        do {
            renewal = ops("renew", "--force");
            tries++;
            if (renewal.exitCode() == 75) {
                assertThat(renewal.err()).contains("not ordering again before " + retryAfter)
                        .contains("rate limit");
                Thread.sleep(300);
            }
        } while (renewal.exitCode() == 75 && tries < 40);

        assertThat(renewal.exitCode()).as(renewal.err()).isZero();
        assertThat(tries).as("tried while waiting").isGreaterThan(2);
        assertThat(front.orders()).hasSize(3);
        assertThat(front.orders().get(2).at()).as("no order before Retry-After").isAfterOrEqualTo(retryAfter);
    }

    private OpsRun ops(String... args) throws IOException {
        String[] full = new String[args.length + 3];
        full[0] = "certs";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--config";
        full[args.length + 2] = setup.config().toString();
        return OpsRun.of(full);
    }

    private JsonNode status() throws IOException {
        return new ObjectMapper().readTree(ops("status", "--json").out()).get(0);
    }

    private X509Certificate installed() throws IOException {
        return new CertificateFiles(setup.certificate()).currentChain().orElseThrow().get(0);
    }

    /** RFC 9773's certificate ID: base64url(authority key identifier) "." base64url(serial). */
    private static String certificateId(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue("2.5.29.35");
        byte[] keyId = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                .getKeyIdentifier();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString(keyId) + "." + encoder.encodeToString(certificate.getSerialNumber()
                .toByteArray());
    }
}
