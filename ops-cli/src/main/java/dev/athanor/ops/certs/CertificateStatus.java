package dev.athanor.ops.certs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateStanding;
import dev.athanor.monitoring.certificates.RenewalState;
import java.time.Instant;
import java.util.List;

/**
 * One managed certificate as {@code ops certs status} shows it (and prints it with {@code --json}).
 *
 * @param daysLeft whole days until expiry, as {@code ops certs check} counts them ({@link
 *     CertificateStanding#daysLeft()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CertificateStatus(String name, List<String> names, String issuer, String serial, Instant notBefore,
        Instant notAfter, Long daysLeft, Integer lifetimeUsedPercent, String standing, Instant renewalWindowStart,
        Instant renewalWindowEnd, String renewalWindowSource, Instant renewAt, Instant overdueAt,
        Instant lastAttempt, String lastOutcome, String lastError, Instant nextAttemptNotBefore, String problem) {

    static CertificateStatus of(String name, CertificateStanding standing, RenewalState state) {
        CertificateDetails certificate = standing.certificate();
        Instant renewAt = state.ariWindow(certificate).isPresent() ? state.ariRenewAt : standing.window().start();
        return new CertificateStatus(name, certificate.names(), certificate.issuer(), certificate.serial(),
                certificate.notBefore(), certificate.notAfter(), standing.daysLeft(),
                certificate.lifetimeUsedPercent(standing.at()), standing.level().name().toLowerCase(
                        java.util.Locale.ROOT), standing.window().start(), standing.window().end(),
                standing.window().source().name().toLowerCase(java.util.Locale.ROOT), renewAt, standing.overdueAt(),
                state.lastAttempt, state.lastOutcome, state.lastError, state.notBefore, null);
    }

    static CertificateStatus missing(String name, RenewalState state, String problem) {
        return new CertificateStatus(name, state.names, null, null, null, null, null, null, "missing", null, null,
                null, null, null, state.lastAttempt, state.lastOutcome, state.lastError, state.notBefore, problem);
    }
}
