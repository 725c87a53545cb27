package dev.athanor.monitoring.certificates;

import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate should be replaced. Where the CA publishes ACME Renewal Information (RFC 9773), its suggested
 * window; otherwise the last third of the certificate's actual lifetime: from when a third is left until a sixth is
 * left. Relative to the lifetime, never a fixed number of days, so that it fits 90-, 45- and 6-day certificates alike.
 */
public record RenewalWindow(Instant start, Instant end, Source source) {

    /** Where the window came from. */
    public enum Source {
        /** The CA's renewal information. */
        ARI,
        /** The certificate's own lifetime (the CA publishes no renewal information). */
        LIFETIME
    }

    public RenewalWindow {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("a renewal window cannot end (" + end + ") before it starts (" + start
                    + ")");
        }
    }

    /** The window for a CA without renewal information. */
    public static RenewalWindow forLifetime(CertificateDetails certificate) {
        Duration lifetime = certificate.lifetime();
        return new RenewalWindow(certificate.notAfter().minus(lifetime.dividedBy(3)),
                certificate.notAfter().minus(lifetime.dividedBy(6)), Source.LIFETIME);
    }

    /** True when renewal is due at {@code now}: the window has opened. */
    public boolean hasOpened(Instant now) {
        return !now.isBefore(start);
    }

    /**
     * The moment by which renewal should have happened: the end of the CA's window, or the point where two thirds of
     * the lifetime have passed (where renewal starts) for a lifetime window; the grace is added to either.
     */
    public Instant shouldHaveRenewedBy(Duration grace) {
        return (source == Source.ARI ? end : start).plus(grace);
    }
}
