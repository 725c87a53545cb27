package dev.athanor.monitoring.certificates;

import dev.athanor.common.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How one certificate stands at a moment: fresh, due for renewal, overdue (renewal should have happened and has not),
 * urgent (little absolute time left) or expired. The site's health check, {@code ops certs check} and the expiry
 * alerts all read it.
 *
 * @param overdueAt when renewal should have happened: {@link RenewalWindow#shouldHaveRenewedBy} plus a grace of
 *     {@code certificates.overdueGrace} (1 day), at most a sixth of the lifetime
 * @param urgentAt when little time is left: {@code certificates.urgentTimeLeft} (3 days) before expiry, at most a
 *     sixth of the lifetime
 * @param renewalFailing whether the last renewal attempts failed ({@link RenewalState#renewalFailing()}), so that
 *     an urgent certificate is not said to be failing when nothing failed
 */
public record CertificateStanding(CertificateDetails certificate, RenewalWindow window, Instant overdueAt,
        Instant urgentAt, Level level, Instant at, boolean renewalFailing) {

    /** From best to worst. */
    public enum Level {
        FRESH, DUE, OVERDUE, URGENT, EXPIRED;

        /** True from OVERDUE on: something is wrong and the operator should hear of it. */
        public boolean isProblem() {
            return compareTo(OVERDUE) >= 0;
        }
    }

    /** Assesses {@code certificate} with its renewal {@code window} at {@code now}, no renewal failure known. */
    public static CertificateStanding of(CertificateDetails certificate, RenewalWindow window, Instant now,
            Duration overdueGrace, Duration urgentTimeLeft) {
        return of(certificate, window, now, overdueGrace, urgentTimeLeft, false);
    }

    /** Assesses {@code certificate} with its renewal {@code window} at {@code now}. */
    public static CertificateStanding of(CertificateDetails certificate, RenewalWindow window, Instant now,
            Duration overdueGrace, Duration urgentTimeLeft, boolean renewalFailing) {
        Duration sixth = certificate.lifetime().dividedBy(6);
        Instant overdueAt = window.shouldHaveRenewedBy(min(overdueGrace, sixth));
        Instant urgentAt = certificate.notAfter().minus(min(urgentTimeLeft, sixth));
        Level level;
        if (!now.isBefore(certificate.notAfter())) {
            level = Level.EXPIRED;
        } else if (!now.isBefore(urgentAt)) {
            level = Level.URGENT;
        } else if (!now.isBefore(overdueAt)) {
            level = Level.OVERDUE;
        } else if (window.hasOpened(now)) {
            level = Level.DUE;
        } else {
            level = Level.FRESH;
        }
        return new CertificateStanding(certificate, window, overdueAt, urgentAt, level, now, renewalFailing);
    }

    /** Time left until expiry. */
    public Duration remaining() {
        return certificate.remaining(at);
    }

    /**
     * Whole days left until expiry, rounded down (negative once expired): the one day count that {@link #describe()},
     * {@code ops certs check} and {@code ops certs status} give.
     */
    public long daysLeft() {
        return remaining().toDays();
    }

    /** One line, such as {@code "54 days left (40% of 90 days used); renewal from 2027-01-02T10:00:00Z (lifetime)"}. */
    public String describe() {
        String left = level == Level.EXPIRED
                ? "expired " + Durations.human(remaining().negated()) + " ago"
                // whole days as ops certs status counts them; under two days, hours and minutes say more
                : (daysLeft() >= 2 ? daysLeft() + " days" : Durations.human(remaining())) + " left";
        String summary = left + " (" + certificate.lifetimeUsedPercent(at) + "% of "
                + Durations.human(certificate.lifetime()) + " used)";
        return switch (level) {
            case FRESH -> summary + "; renewal from " + seconds(window.start()) + " (" + source() + ")";
            case DUE -> summary + "; due for renewal since " + seconds(window.start()) + " (" + source() + ")";
            case OVERDUE -> summary + "; OVERDUE: should have been renewed by " + seconds(overdueAt);
            case URGENT -> summary + "; URGENT: expires " + seconds(certificate.notAfter()) + ", "
                    + (renewalFailing ? "renewal failing" : "renew now");
            case EXPIRED -> summary + "; EXPIRED at " + seconds(certificate.notAfter());
        };
    }

    private String source() {
        return window.source() == RenewalWindow.Source.ARI ? "CA's renewal info" : "a third of the lifetime left";
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
