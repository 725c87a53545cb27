package dev.athanor.monitoring.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.monitoring.certificates.CertificateStanding.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Thresholds relative to the lifetime hold for 90-, 45- and 6-day certificates alike. */
class CertificateStandingTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofDays(1);
    private static final Duration URGENT = Duration.ofDays(3);

    @ParameterizedTest
    @ValueSource(ints = {90, 45, 6})
    void renewalIsDueAtAThirdLeftAndOverdueAfterThat(int days) {
        CertificateDetails certificate = issued(Duration.ofDays(days));
        RenewalWindow window = RenewalWindow.forLifetime(certificate);
        Duration lifetime = certificate.lifetime();
        Instant twoThirds = ISSUED.plus(lifetime.multipliedBy(2).dividedBy(3));

        assertThat(window.start()).isEqualTo(twoThirds);
        assertThat(level(certificate, twoThirds.minusSeconds(1))).isEqualTo(Level.FRESH);
        assertThat(level(certificate, twoThirds)).isEqualTo(Level.DUE);

        Duration grace = days == 6 ? Duration.ofDays(1) : GRACE; // a sixth of 6 days is one day
        Instant overdue = twoThirds.plus(grace);
        assertThat(level(certificate, overdue.minusSeconds(1))).isEqualTo(Level.DUE);
        assertThat(level(certificate, overdue)).isIn(Level.OVERDUE, Level.URGENT);
        assertThat(level(certificate, certificate.notAfter().minus(Duration.ofHours(1)))).isEqualTo(Level.URGENT);
        assertThat(level(certificate, certificate.notAfter())).isEqualTo(Level.EXPIRED);
    }

    @Test
    void aSixDayCertificateIsNotUrgentBeforeItsRenewalWindow() {
        CertificateDetails certificate = issued(Duration.ofDays(6));
        assertThat(level(certificate, ISSUED.plus(Duration.ofDays(3)))).isEqualTo(Level.FRESH);
        assertThat(level(certificate, ISSUED.plus(Duration.ofHours(4 * 24 + 12)))).isEqualTo(Level.DUE);
    }

    @Test
    void theCasWindowDecidesWhenItHasOne() {
        CertificateDetails certificate = issued(Duration.ofDays(90));
        RenewalWindow ari = new RenewalWindow(ISSUED.plus(Duration.ofDays(40)), ISSUED.plus(Duration.ofDays(42)),
                RenewalWindow.Source.ARI);

        CertificateStanding early = CertificateStanding.of(certificate, ari, ISSUED.plus(Duration.ofDays(41)), GRACE,
                URGENT);
        CertificateStanding late = CertificateStanding.of(certificate, ari, ISSUED.plus(Duration.ofDays(43)), GRACE,
                URGENT);

        assertThat(early.level()).isEqualTo(Level.DUE);
        assertThat(early.describe()).contains("CA's renewal info");
        assertThat(late.level()).isEqualTo(Level.OVERDUE);
        assertThat(late.describe()).contains("OVERDUE").contains("47 days left");
    }

    @Test
    void anUrgentCertificateIsSaidToBeFailingOnlyWhenRenewalFailed() {
        CertificateDetails certificate = issued(Duration.ofDays(90));
        Instant dayLeft = certificate.notAfter().minus(Duration.ofDays(1));
        RenewalWindow window = RenewalWindow.forLifetime(certificate);

        CertificateStanding untried = CertificateStanding.of(certificate, window, dayLeft, GRACE, URGENT, false);
        CertificateStanding failing = CertificateStanding.of(certificate, window, dayLeft, GRACE, URGENT, true);

        assertThat(untried.level()).isEqualTo(Level.URGENT);
        assertThat(untried.describe()).endsWith("URGENT: expires 2026-04-01T00:00:00Z, renew now");
        assertThat(failing.describe()).endsWith("URGENT: expires 2026-04-01T00:00:00Z, renewal failing");
    }

    private static Level level(CertificateDetails certificate, Instant now) {
        return CertificateStanding.of(certificate, RenewalWindow.forLifetime(certificate), now, GRACE, URGENT)
                .level();
    }

    private static CertificateDetails issued(Duration lifetime) {
        return new CertificateDetails(List.of("learn.example.com"), "Test CA", "1", ISSUED, ISSUED.plus(lifetime),
                "00");
    }
}
