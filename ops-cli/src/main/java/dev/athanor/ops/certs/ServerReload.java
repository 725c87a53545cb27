package dev.athanor.ops.certs;

import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import dev.athanor.monitoring.certificates.RenewalState;
import dev.athanor.monitoring.certificates.ServedCertificate;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes the web server present the installed certificate: runs the reload commands, then compares what
 * {@code certificates.servedAt} presents with the file. A server still presenting another certificate is reloaded
 * once more; if it persists, an alert goes out.
 */
final class ServerReload {

    private final CertificatesFactory settings;
    private final CertificateFiles files;
    private final CertificateAlerts alerts;
    private final Consumer<String> say;

    ServerReload(CertificatesFactory settings, CertificateFiles files, CertificateAlerts alerts, Consumer<String> say) {
        this.settings = settings;
        this.files = files;
        this.alerts = alerts;
        this.say = say;
    }

    /** After a new pair was installed (or rolled back): reload, then make sure it is served. */
    void afterInstall(CertificateDetails installed, RenewalState state)
            throws ReloadFailedException, IOException, InterruptedException {
        reload(state);
        Optional<ServedComparison> served = compare(installed);
        if (served.isPresent() && !served.get().isSame()
                && served.get().verdict() != ServedComparison.Verdict.UNREACHABLE) {
            say.accept("warning: " + served.get().message() + "; reloading once more");
            reload(state);
            served = compare(installed);
        }
        report(served);
    }

    /**
     * For a check: when the server presents another certificate than the file, reload once and look again.
     *
     * @return the comparison after that, empty when {@code servedAt} is not configured
     */
    Optional<ServedComparison> verifyServed(CertificateDetails installed) throws IOException, InterruptedException {
        Optional<ServedComparison> served = compare(installed);
        if (served.isPresent() && (served.get().verdict() == ServedComparison.Verdict.OLDER
                || served.get().verdict() == ServedComparison.Verdict.DIFFERENT)) {
            say.accept(served.get().message() + "; reloading once");
            try {
                reload(files.state());
            } catch (ReloadFailedException e) {
                say.accept("warning: " + e.getMessage());
            }
            served = compare(installed);
        }
        report(served);
        return served;
    }

    private void reload(RenewalState state) throws ReloadFailedException, IOException, InterruptedException {
        ReloadScript command = new ReloadScript(settings.getReloadCommands());
        if (!command.isConfigured()) {
            return;
        }
        try {
            command.run();
            alerts.resolve(CertificateAlerts.RELOAD_FAILED, "reload works again", "The reload commands succeeded.");
        } catch (ReloadFailedException e) {
            state.lastOutcome = "reload-failed";
            state.lastError = e.getMessage();
            state.write(files.stateFile());
            alerts.raise(CertificateAlerts.RELOAD_FAILED, "the web server was not reloaded", e.getMessage()
                    + "\n\nThe new certificate is installed in " + files.current()
                    + " but the server may still present the old one. Fix the command, then run `ops certs check`.");
            throw e;
        }
    }

    private Optional<ServedComparison> compare(CertificateDetails installed) {
        return settings.getServedAt().map(address -> ServedComparison.compare(
                ServedCertificate.Endpoint.parse(address, files.name()), installed));
    }

    private void report(Optional<ServedComparison> served) {
        if (served.isEmpty()) {
            return;
        }
        ServedComparison comparison = served.get();
        switch (comparison.verdict()) {
            case SAME -> {
                say.accept(comparison.message());
                alerts.resolve(CertificateAlerts.SERVED_DIFFERS, "the server presents the installed certificate",
                        comparison.message());
            }
            case OLDER, DIFFERENT -> {
                say.accept("warning: " + comparison.message());
                alerts.raise(CertificateAlerts.SERVED_DIFFERS, "the server presents another certificate",
                        comparison.message() + "\n\nA reload did not help. Check the server's ssl_certificate paths"
                                + " (they should name " + files.chain() + ") and reload it.");
            }
            case UNREACHABLE -> say.accept("warning: " + comparison.message());
        }
    }
}
