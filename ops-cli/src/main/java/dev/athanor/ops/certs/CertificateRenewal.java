package dev.athanor.ops.certs;

import dev.athanor.common.Durations;
import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import dev.athanor.monitoring.certificates.RenewalState;
import dev.athanor.monitoring.certificates.RenewalWindow;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Issues or renews one certificate when it is time: decides whether it is due (the CA's window at a random moment in
 * it, else a third of the lifetime left), respects the back-off and the CA's Retry-After, checks that everything it
 * will write is writable before ordering, orders, checks the new pair, installs it, reloads the server, compares what
 * the server presents, and records the outcome. A failure before the install leaves the working files untouched.
 */
final class CertificateRenewal {

    /** What one run did. */
    record Outcome(String name, Result result, String message) {
    }

    enum Result { ISSUED, RENEWED, NOT_DUE, WOULD_RENEW }

    private final CertificatesFactory settings;
    private final CertificateFiles files;
    private final List<String> names;
    private final AcmeCa ca;
    private final CertificateAlerts alerts;
    private final Clock clock;
    private final Random random;
    private final Consumer<String> say;

    CertificateRenewal(CertificatesFactory settings, CertificateFiles files, List<String> names, AcmeCa ca,
            CertificateAlerts alerts, Clock clock, Random random, Consumer<String> say) {
        this.settings = settings;
        this.files = files;
        this.names = List.copyOf(names);
        this.ca = ca;
        this.alerts = alerts;
        this.clock = clock;
        this.random = random;
        this.say = say;
    }

    Outcome run(boolean force, boolean dryRun) throws CertsException, IOException, InterruptedException {
        try {
            Files.createDirectories(files.directory());
        } catch (IOException e) {
            throw new TargetNotWritableException(files.directory(), e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
        try (FileChannel channel = FileChannel.open(files.directory().resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new WaitingException(files.name(), clock.instant(), "another ops run is renewing it now");
            }
            return runLocked(force, dryRun);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new TargetNotWritableException(files.directory(), e.getMessage());
        }
    }

    private Outcome runLocked(boolean force, boolean dryRun) throws CertsException, IOException,
            InterruptedException {
        RenewalState state = files.state();
        Optional<List<X509Certificate>> current = files.currentChain();
        Instant now = clock.instant();
        if (current.isPresent() && !force) {
            Optional<Instant> due = dueAt(state, current.get().get(0), now);
            if (due.isPresent() && now.isBefore(due.get())) {
                if (!dryRun) { // keeps the CA's window and the moment drawn in it; a dry run records nothing
                    state.write(files.stateFile());
                }
                return said(new Outcome(files.name(), Result.NOT_DUE, files.name() + ": not due; renewal at "
                        + due.get().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (in "
                        + Durations.human(Duration.between(now, due.get())) + ")"));
            }
        }
        boolean rateLimited = state.notBeforeReason != null && state.notBeforeReason.startsWith("rate limit");
        if (state.notBefore != null && now.isBefore(state.notBefore) && (rateLimited || !force)) {
            throw new WaitingException(files.name(), state.notBefore, state.notBeforeReason);
        }
        CertificateInstaller installer = new CertificateInstaller(files);
        installer.checkWritable();
        checkAccountKeyWritable();
        if (dryRun) {
            return said(new Outcome(files.name(), Result.WOULD_RENEW, files.name() + ": would "
                    + (current.isPresent() ? "renew" : "issue") + " now (dry run: nothing ordered)"));
        }
        try (ChallengeResponder responder = responder()) {
            responder.checkReady();
            state.names = names;
            state.lastAttempt = now;
            CertificatePair pair;
            try {
                pair = new CertificateOrder(ca, responder, settings.getProfile(), warning -> say.accept(
                        "warning: " + files.name() + ": " + warning))
                        .place(names, AccountKey.newCertificateKey(settings.getKeyType()),
                                current.map(chain -> chain.get(0)));
                pair.check(names, clock.instant());
            } catch (RateLimitedException e) {
                Instant retry = e.retryAfter().orElse(now.plus(backoff(state.consecutiveFailures + 1)));
                recordFailure(state, "rate-limited", e.getMessage(), retry, "rate limit of the CA");
                throw e;
            } catch (OrderFailedException | UnusableCertificateException e) {
                Instant retry = now.plus(backoff(state.consecutiveFailures + 1));
                recordFailure(state, "failed", e.getMessage(), retry, "back-off after " + (state.consecutiveFailures
                        + 1) + " failure(s)");
                throw e;
            }
            installer.install(pair);
            CertificateDetails installed = pair.details();
            state.lastOutcome = current.isPresent() ? "renewed" : "issued";
            state.lastError = null;
            state.lastSuccess = clock.instant();
            state.consecutiveFailures = 0;
            state.notBefore = null;
            state.notBeforeReason = null;
            state.ariStart = null;
            state.ariEnd = null;
            state.ariSerial = null;
            state.ariRenewAt = null;
            state.write(files.stateFile());
            String summary = files.name() + ": " + state.lastOutcome + "; valid until " + installed.notAfter()
                    + " (serial " + installed.serial() + ")";
            say.accept(summary); // before the reload's lines, which follow from it
            alerts.resolve(CertificateAlerts.RENEWAL_FAILED, "renewal works again", summary);
            new ServerReload(settings, files, alerts, say).afterInstall(installed, state);
            alerts.resolveAfterRenewal(summary);
            return new Outcome(files.name(), current.isPresent() ? Result.RENEWED : Result.ISSUED, summary);
        }
    }

    /** Says {@code outcome}'s message; every outcome is said once, here, as it happens. */
    private Outcome said(Outcome outcome) {
        say.accept(outcome.message());
        return outcome;
    }

    /** When renewal is due for {@code leaf}: the random moment in the CA's window, else a third of the lifetime left. */
    private Optional<Instant> dueAt(RenewalState state, X509Certificate leaf, Instant now) {
        CertificateDetails details = CertificateDetails.of(leaf);
        try {
            Optional<AcmeCa.Window> window = ca.renewalWindow(leaf, names);
            if (window.isPresent()) {
                AcmeCa.Window ari = window.get();
                boolean changed = !details.serial().equals(state.ariSerial) || !ari.start().equals(state.ariStart)
                        || !ari.end().equals(state.ariEnd);
                state.ariStart = ari.start();
                state.ariEnd = ari.end();
                state.ariExplanation = ari.explanation();
                state.ariSerial = details.serial();
                state.ariFetched = now;
                if (changed || state.ariRenewAt == null) {
                    long span = Math.max(0, Duration.between(ari.start(), ari.end()).toMillis());
                    state.ariRenewAt = ari.start().plusMillis(span == 0 ? 0 : (long) (random.nextDouble() * span));
                }
                return Optional.of(state.ariRenewAt);
            }
        } catch (CertsException | IOException e) {
            say.accept("warning: " + files.name() + ": no renewal information from the CA (" + e.getMessage()
                    + "); using a third of the lifetime");
        }
        return Optional.of(RenewalWindow.forLifetime(details).start());
    }

    private Duration backoff(int failures) {
        Duration first = settings.getRetryAfterFailure();
        Duration max = settings.getMaxRetryAfterFailure();
        Duration delay = first.multipliedBy(1L << Math.min(20, Math.max(0, failures - 1)));
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private void recordFailure(RenewalState state, String outcome, String error, Instant notBefore, String reason)
            throws IOException {
        state.lastOutcome = outcome;
        state.lastError = error;
        state.consecutiveFailures++;
        state.notBefore = notBefore;
        state.notBeforeReason = reason;
        state.write(files.stateFile());
        alerts.raise(CertificateAlerts.RENEWAL_FAILED, "certificate renewal failed", error
                + "\n\nThe installed certificate was not touched. Next attempt not before " + notBefore + " ("
                + reason + "); attempts go on until one succeeds. Run `ops certs status` for details.");
    }

    private void checkAccountKeyWritable() throws TargetNotWritableException {
        java.nio.file.Path key = settings.getAccountKey().toAbsolutePath();
        if (Files.exists(key)) {
            return;
        }
        try {
            Files.createDirectories(key.getParent());
            Files.delete(Files.createTempFile(key.getParent(), ".write-test", ".tmp"));
        } catch (IOException e) {
            throw new TargetNotWritableException(key.getParent(), e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    private ChallengeResponder responder() {
        return settings.isStandalone()
                ? new StandaloneResponder(settings.getResponderHost(), settings.getResponderPort())
                : new WebrootResponder(settings.getWebroot());
    }
}
