package dev.athanor.platform.health;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.CertificateStanding;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The site's TLS certificates, as {@code ops certs} manages them: days left for each, and unhealthy when one is
 * overdue for renewal (renewal should have happened and has not), expiring or expired, or when a configured domain
 * has no certificate. A warning for the operator on the admin page; it never takes the site out of readiness. With no
 * certificates configured (a laptop) it is healthy and says so.
 */
public final class CertificatesHealthCheck extends HealthCheck {

    /** The name under which the check is registered. */
    public static final String NAME = "certificates";

    private final CertificatesFactory certificates;
    private final Clock clock;

    public CertificatesHealthCheck(CertificatesFactory certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    @Override
    protected Result check() throws IOException {
        List<CertificateFiles> managed = certificates.managed();
        if (managed.isEmpty() && certificates.getDomains().isEmpty()) {
            return Result.healthy("no certificates managed (certificates.domains is empty)");
        }
        List<String> lines = new ArrayList<>();
        boolean healthy = true;
        for (CertificateFiles files : managed) {
            Optional<List<X509Certificate>> chain = files.currentChain();
            if (chain.isEmpty()) {
                lines.add(files.name() + ": no certificate installed");
                healthy = false;
                continue;
            }
            CertificateDetails details = CertificateDetails.of(chain.get().get(0));
            CertificateStanding standing = certificates.standing(details, files.state(), clock.instant());
            lines.add(files.name() + ": " + standing.describe());
            healthy &= !standing.level().isProblem();
        }
        for (String domain : certificates.getDomains()) {
            if (managed.stream().noneMatch(files -> files.name().equals(domain)) && !covered(managed, domain)) {
                lines.add(domain + ": configured but no certificate issued (ops certs issue)");
                healthy = false;
            }
        }
        String message = String.join("; ", lines);
        return healthy ? Result.healthy(message) : Result.unhealthy(message);
    }

    private static boolean covered(List<CertificateFiles> managed, String domain) throws IOException {
        for (CertificateFiles files : managed) {
            Optional<List<X509Certificate>> chain = files.currentChain();
            if (chain.isPresent() && CertificateDetails.of(chain.get().get(0)).covers(domain)) {
                return true;
            }
        }
        return false;
    }
}
