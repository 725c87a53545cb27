package dev.athanor.ops.certs;

import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import dev.athanor.monitoring.certificates.RenewalState;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The certificates Athanor manages, and everything {@code ops certs} (and the scheduler's {@code certs-renew} job)
 * does with them: issue, renew when due, roll back, report, check. Progress and warnings go to {@code say}, one
 * line each; expected failures are {@link CertsException}s.
 */
public final class Certificates {

    private final CertificatesFactory settings;
    private final Alerts alerts;
    private final Clock clock;
    private final Consumer<String> say;
    private final AcmeCa ca;

    public Certificates(CertificatesFactory settings, Alerts alerts, Clock clock, Consumer<String> say) {
        this.settings = settings;
        this.alerts = alerts;
        this.clock = clock;
        this.say = say;
        this.ca = new AcmeCa(settings);
    }

    /** Issues a certificate for {@code names} now (a new one, or a replacement of the one named by the first). */
    String issue(List<String> names) throws CertsException, IOException, InterruptedException {
        List<String> wanted = normalize(names.isEmpty() ? settings.getDomains() : names);
        if (wanted.isEmpty()) {
            throw new NoSuchCertificateException("no domain given and certificates.domains is empty");
        }
        return renewal(CertificateFiles.of(settings.getDirectory(), wanted.get(0)), wanted).run(true, false)
                .message();
    }

    /**
     * Renews every managed certificate that is due (all of them with {@code force}), and issues the configured one if
     * it does not exist yet. Goes on past a failing certificate, then throws the first failure.
     */
    public List<String> renew(boolean force, boolean dryRun) throws CertsException, IOException,
            InterruptedException {
        Map<String, List<String>> todo = new LinkedHashMap<>();
        for (CertificateFiles files : settings.managed()) {
            todo.put(files.name(), namesOf(files));
        }
        List<String> configured = settings.getDomains();
        if (!configured.isEmpty() && !todo.containsKey(configured.get(0))) {
            todo.put(configured.get(0), configured);
        }
        List<String> messages = new ArrayList<>();
        CertsException firstFailure = null;
        for (Map.Entry<String, List<String>> entry : todo.entrySet()) {
            CertificateFiles files = CertificateFiles.of(settings.getDirectory(), entry.getKey());
            try {
                messages.add(renewal(files, entry.getValue()).run(force, dryRun).message()); // said as it ran
            } catch (CertsException e) {
                say.accept("error: " + e.getMessage());
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (todo.isEmpty()) {
            say.accept("No certificates managed: certificates.domains is empty and " + settings.getDirectory()
                    + " holds none.");
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return messages;
    }

    /** Puts the previous pair back (and the current one in its place), then reloads the server. */
    String rollback(String name) throws CertsException, IOException, InterruptedException {
        CertificateFiles files = existing(name);
        new CertificateInstaller(files).rollback();
        RenewalState state = files.state();
        state.lastOutcome = "rolled-back";
        state.lastAttempt = clock.instant();
        state.write(files.stateFile());
        X509Certificate leaf = files.currentChain().orElseThrow().get(0);
        CertificateDetails restored = CertificateDetails.of(leaf);
        String message = files.name() + ": rolled back to serial " + restored.serial() + ", valid until "
                + restored.notAfter();
        say.accept(message);
        new ServerReload(settings, files, new CertificateAlerts(alerts, files.name()), say).afterInstall(restored,
                state);
        return message;
    }

    /** Every managed certificate, for {@code ops certs status}. */
    List<CertificateStatus> status() throws IOException {
        List<CertificateStatus> statuses = new ArrayList<>();
        for (CertificateFiles files : settings.managed()) {
            RenewalState state = files.state();
            Optional<List<X509Certificate>> chain;
            try {
                chain = files.currentChain();
            } catch (IOException e) {
                statuses.add(CertificateStatus.missing(files.name(), state, e.getMessage()));
                continue;
            }
            if (chain.isEmpty()) {
                statuses.add(CertificateStatus.missing(files.name(), state, "no certificate installed"));
                continue;
            }
            CertificateDetails details = CertificateDetails.of(chain.get().get(0));
            statuses.add(CertificateStatus.of(files.name(), settings.standing(details, state, clock.instant()),
                    state));
        }
        return statuses;
    }

    /** Checks files (and {@code live} endpoints, else {@code servedAt}); raises and closes the expiry alerts. */
    public List<ExpiryFinding> check(List<String> live) throws IOException, InterruptedException {
        return new ExpiryCheck(settings, alerts, clock, say).run(live);
    }

    private CertificateRenewal renewal(CertificateFiles files, List<String> names) {
        return new CertificateRenewal(settings, files, names, ca, new CertificateAlerts(alerts, files.name()), clock,
                new SecureRandom(), say);
    }

    private CertificateFiles existing(String name) throws NoSuchCertificateException, IOException {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (CertificateFiles files : settings.managed()) {
            if (files.name().equals(wanted)) {
                return files;
            }
        }
        throw new NoSuchCertificateException("no certificate named " + name + " in " + settings.getDirectory());
    }

    private static List<String> namesOf(CertificateFiles files) throws IOException {
        RenewalState state = files.state();
        if (!state.names.isEmpty()) {
            return state.names;
        }
        return files.currentChain().map(chain -> CertificateDetails.of(chain.get(0)).names())
                .orElse(List.of(files.name()));
    }

    private static List<String> normalize(List<String> names) {
        return names.stream().map(name -> name.strip().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty())
                .distinct().toList();
    }
}
