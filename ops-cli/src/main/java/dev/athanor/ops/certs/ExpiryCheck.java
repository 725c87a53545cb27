package dev.athanor.ops.certs;

import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.CertificateStanding;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import dev.athanor.monitoring.certificates.RenewalState;
import dev.athanor.monitoring.certificates.ServedCertificate;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code ops certs check}: how each certificate stands (and the alerts that follow from it), and what servers
 * present. Raises the expiry alerts (overdue, expiring) and closes them when they no longer apply; the server at
 * {@code certificates.servedAt} is reloaded once if it presents another certificate than the file, and alerted if it
 * still does; an address given with {@code --live} is alerted without a reload (unless it is {@code servedAt}).
 */
final class ExpiryCheck {

    private final CertificatesFactory settings;
    private final dev.athanor.monitoring.alerts.Alerts alerts;
    private final Clock clock;
    private final Consumer<String> say;

    ExpiryCheck(CertificatesFactory settings, dev.athanor.monitoring.alerts.Alerts alerts, Clock clock,
            Consumer<String> say) {
        this.settings = settings;
        this.alerts = alerts;
        this.clock = clock;
        this.say = say;
    }

    List<ExpiryFinding> run(List<String> live) throws IOException, InterruptedException {
        List<ExpiryFinding> findings = new ArrayList<>();
        List<CertificateFiles> managed = settings.managed();
        for (String domain : settings.getDomains()) {
            if (managed.stream().noneMatch(files -> files.name().equals(domain))
                    && managed.stream().noneMatch(files -> coveredBy(files, domain))) {
                findings.add(new ExpiryFinding(domain, ExpiryFinding.Severity.CRITICAL, domain
                        + ": configured but no certificate issued yet (run ops certs issue)"));
            }
        }
        for (CertificateFiles files : managed) {
            findings.addAll(checkOne(files, live));
        }
        return findings;
    }

    private List<ExpiryFinding> checkOne(CertificateFiles files, List<String> live) throws IOException,
            InterruptedException {
        List<ExpiryFinding> findings = new ArrayList<>();
        String name = files.name();
        CertificateAlerts certificateAlerts = new CertificateAlerts(alerts, name);
        Optional<List<X509Certificate>> chain;
        try {
            chain = files.currentChain();
        } catch (IOException e) {
            findings.add(new ExpiryFinding(name, ExpiryFinding.Severity.CRITICAL, name + ": " + e.getMessage()));
            return findings;
        }
        if (chain.isEmpty()) {
            findings.add(new ExpiryFinding(name, ExpiryFinding.Severity.CRITICAL, name + ": no certificate installed"));
            return findings;
        }
        CertificateDetails details = CertificateDetails.of(chain.get().get(0));
        RenewalState state = files.state();
        CertificateStanding standing = settings.standing(details, state, clock.instant());
        String line = name + ": " + standing.describe();
        switch (standing.level()) {
            case FRESH, DUE -> {
                findings.add(new ExpiryFinding(name, ExpiryFinding.Severity.OK, line));
                certificateAlerts.resolve(CertificateAlerts.OVERDUE, "renewed in time", line);
                certificateAlerts.resolve(CertificateAlerts.EXPIRING, "no longer expiring", line);
            }
            case OVERDUE -> {
                findings.add(new ExpiryFinding(name, ExpiryFinding.Severity.WARNING, line));
                certificateAlerts.raise(CertificateAlerts.OVERDUE, "certificate overdue for renewal", line
                        + lastAttempt(state));
            }
            case URGENT, EXPIRED -> {
                findings.add(new ExpiryFinding(name, ExpiryFinding.Severity.CRITICAL, line));
                certificateAlerts.raise(CertificateAlerts.OVERDUE, "certificate overdue for renewal", line
                        + lastAttempt(state));
                certificateAlerts.raise(CertificateAlerts.EXPIRING, standing.level() == CertificateStanding.Level
                        .EXPIRED ? "certificate EXPIRED" : "certificate expires soon", line + lastAttempt(state));
            }
        }
        if (live.isEmpty()) {
            new ServerReload(settings, files, certificateAlerts, say).verifyServed(details)
                    .ifPresent(served -> findings.add(finding(name, served)));
        } else {
            for (String address : live) {
                if (settings.getServedAt().filter(address::equals).isPresent()) {
                    new ServerReload(settings, files, certificateAlerts, say).verifyServed(details)
                            .ifPresent(served -> findings.add(finding(name, served)));
                    continue;
                }
                ServedComparison served = ServedComparison.compare(ServedCertificate.Endpoint.parse(address, name),
                        details);
                alertLive(certificateAlerts, served);
                findings.add(finding(name, served));
            }
        }
        return findings;
    }

    /**
     * An address given with {@code --live} that presents another certificate than the file is alerted at once, one
     * problem per address. It is not reloaded: the reload commands reload this machine's server, which is known to
     * answer only at {@code servedAt}; another address may be a load balancer, a CDN or another machine.
     */
    private static void alertLive(CertificateAlerts alerts, ServedComparison served) {
        String address = served.endpoint().host() + ":" + served.endpoint().port();
        String condition = CertificateAlerts.SERVED_DIFFERS + " at " + address;
        switch (served.verdict()) {
            case SAME -> alerts.resolve(condition, address + " presents the installed certificate", served.message());
            case OLDER, DIFFERENT -> alerts.raise(condition, address + " presents another certificate",
                    served.message() + "\n\nops does not reload for an address given with --live (only for"
                            + " certificates.servedAt): reload the server that answers there, then run"
                            + " `ops certs check --live " + address + "`.");
            case UNREACHABLE -> {
                // the check's exit code says so; whether it answers is ops health's business
            }
        }
    }

    private static ExpiryFinding finding(String name, ServedComparison served) {
        ExpiryFinding.Severity severity = switch (served.verdict()) {
            case SAME -> ExpiryFinding.Severity.OK;
            case OLDER, DIFFERENT -> ExpiryFinding.Severity.WARNING;
            case UNREACHABLE -> ExpiryFinding.Severity.CRITICAL;
        };
        return new ExpiryFinding(name, severity, name + ": " + served.message());
    }

    private static String lastAttempt(RenewalState state) {
        if (state.lastAttempt == null) {
            return "\n\nNo renewal has been attempted yet: is `ops certs renew` scheduled?";
        }
        return "\n\nLast renewal attempt: " + state.lastAttempt + " (" + state.lastOutcome + ")"
                + (state.lastError == null ? "" : ": " + state.lastError);
    }

    private static boolean coveredBy(CertificateFiles files, String domain) {
        try {
            return files.currentChain().map(chain -> CertificateDetails.of(chain.get(0)).covers(domain))
                    .orElse(false);
        } catch (IOException e) {
            return false;
        }
    }
}
