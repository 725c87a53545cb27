package dev.athanor.ops.scheduler;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupFailedException;
import dev.athanor.backup.BackupKind;
import dev.athanor.backup.BackupResult;
import dev.athanor.backup.BackupVerification;
import dev.athanor.backup.Backups;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.PruneResult;
import dev.athanor.backup.ToolNotFoundException;
import dev.athanor.backup.TransferProgress;
import dev.athanor.backup.VerificationFailedException;
import dev.athanor.backup.scheduler.AlertedFailure;
import dev.athanor.backup.scheduler.ScheduledTask;
import dev.athanor.billing.Billing;
import dev.athanor.common.Sizes;
import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.monitoring.alerts.Delivery;
import dev.athanor.monitoring.status.WeeklyDigest;
import dev.athanor.ops.accounts.BillingCommand;
import dev.athanor.ops.backup.BackupSession;
import dev.athanor.ops.certs.Certificates;
import dev.athanor.ops.certs.ExpiryFinding;
import dev.athanor.ops.certs.OrderFailedException;
import dev.athanor.ops.certs.RateLimitedException;
import dev.athanor.ops.certs.ReloadFailedException;
import dev.athanor.ops.certs.UnusableCertificateException;
import dev.athanor.ops.certs.WaitingException;
import dev.athanor.ops.monitoring.DigestCommand;
import dev.athanor.ops.shared.ConfigOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work behind each job name of {@code scheduler.jobs}, each the code of the command it stands for:
 *
 * <ul>
 *   <li>{@code backup-daily}, {@code backup-weekly}: {@code ops backup run --kind daily|weekly}, then
 *       {@code ops backup prune};
 *   <li>{@code verify-weekly}: {@code ops backup verify --latest};
 *   <li>{@code certs-renew}: {@code ops certs renew} (each certificate renews only when due, so running often is
 *       right; after a random delay, {@code scheduler.randomDelays});
 *   <li>{@code certs-check}: {@code ops certs check}, whose findings send the expiry alerts; a warning or worse is
 *       recorded as a failed run (not alerted twice);
 *   <li>{@code billing-reconcile}: {@code ops billing reconcile --days 3}, skipped with a log line when Stripe is not
 *       configured;
 *   <li>{@code digest}: {@code ops digest --send};
 *   <li>{@code pitr-full}, {@code pitr-diff}, {@code pitr-drill}, {@code pitr-mark}, {@code pitr-watch}: point-in-time
 *       recovery ({@link PitrTasks}).
 * </ul>
 *
 * A failure that the work has alerted about itself (a failed backup, a failed certificate order) is passed on as an
 * {@link AlertedFailure}, so that the job does not send a second message about it.
 */
final class SchedulerTasks {

    /** {@code ops billing reconcile}'s default look-back, in days. */
    static final int RECONCILE_DAYS = 3;

    private static final Logger LOGGER = LoggerFactory.getLogger(SchedulerTasks.class);

    private SchedulerTasks() {
    }

    static Map<String, ScheduledTask> of(BackupSession session, PostgresTarget database, ConfigOption config) {
        Backups backups = session.backups();
        AthanorConfiguration configuration = session.configuration();
        Alerts alerts = session.alerts();
        Map<String, ScheduledTask> tasks = new LinkedHashMap<>();
        tasks.put("backup-daily", stopping -> backupAndPrune(backups, database, BackupKind.DAILY, stopping));
        tasks.put("backup-weekly", stopping -> backupAndPrune(backups, database, BackupKind.WEEKLY, stopping));
        tasks.put("verify-weekly", stopping -> verify(backups, database));
        tasks.put("certs-renew", stopping -> renewCertificates(configuration, alerts));
        tasks.put("certs-check", stopping -> checkCertificates(configuration, alerts));
        tasks.put("billing-reconcile", stopping -> reconcileBilling(config));
        tasks.put("digest", stopping -> sendDigest(configuration, alerts));
        PitrTasks.addTo(tasks, session);
        return tasks;
    }

    private static String backupAndPrune(Backups backups, PostgresTarget database, BackupKind kind,
            BooleanSupplier stopping) throws Exception {
        BackupResult result;
        try {
            result = backups.run(kind, database, TransferProgress.NONE, stopping);
        } catch (BackupFailedException | ToolNotFoundException e) {
            throw new AlertedFailure(e); // backup-failed went out
        }
        PruneResult prune = backups.prune(false);
        return "backup " + result.manifest().id() + " (" + Sizes.human(result.manifest().bytes()) + ")"
                + (result.muchSmaller() ? ", much smaller than the previous one" : "") + "; prune: "
                + prune.plan().refusal().orElse(prune.plan().kept().size() + " kept, " + prune.deleted().size()
                        + " deleted");
    }

    private static String verify(Backups backups, PostgresTarget database) throws Exception {
        try {
            BackupVerification verification = backups.verify(Optional.empty(), database, TransferProgress.NONE);
            return "verified " + verification.id() + ": " + verification.detail();
        } catch (VerificationFailedException e) {
            throw new AlertedFailure(e); // backup-verify went out
        }
    }

    private static String renewCertificates(AthanorConfiguration configuration, Alerts alerts) throws Exception {
        List<String> said = new ArrayList<>();
        Certificates certificates = new Certificates(configuration.getCertificates(), alerts, Clock.systemUTC(),
                line -> {
                    LOGGER.info("certs-renew: {}", line);
                    said.add(line);
                });
        try {
            certificates.renew(false, false);
        } catch (OrderFailedException | RateLimitedException | UnusableCertificateException | ReloadFailedException
                | WaitingException e) {
            // renewal-failed or reload-failed went out; a back-off in force was alerted when its failure happened
            throw new AlertedFailure(e);
        }
        return String.join("; ", said);
    }

    private static String checkCertificates(AthanorConfiguration configuration, Alerts alerts) throws Exception {
        Certificates certificates = new Certificates(configuration.getCertificates(), alerts, Clock.systemUTC(),
                line -> LOGGER.info("certs-check: {}", line));
        List<ExpiryFinding> findings = certificates.check(List.of());
        String summary = findings.isEmpty() ? "no certificates managed" : findings.stream()
                .map(finding -> finding.label() + " " + finding.message()).collect(Collectors.joining("; "));
        if (findings.stream().anyMatch(finding -> finding.exitCode() > 0)) {
            // the check's own alerts (overdue, expiring, served-differs) went out
            throw new AlertedFailure(new IllegalStateException(summary));
        }
        return summary;
    }

    private static String reconcileBilling(ConfigOption config) throws Exception {
        Optional<Billing.Reconciliation> result = BillingCommand.reconcile(config, RECONCILE_DAYS);
        if (result.isEmpty()) {
            LOGGER.info("billing-reconcile skipped: {}", BillingCommand.NOT_CONFIGURED);
            return "skipped: " + BillingCommand.NOT_CONFIGURED;
        }
        return BillingCommand.describe(result.get());
    }

    private static String sendDigest(AthanorConfiguration configuration, Alerts alerts) throws Exception {
        WeeklyDigest digest = DigestCommand.compose(configuration, LOGGER::warn);
        Delivery delivery = alerts.report(digest.subject(), digest.body());
        if (delivery == Delivery.HELD_BACK) {
            throw new IllegalStateException("the digest \"" + digest.subject() + "\" was held back by the alert"
                    + " sender's hourly limit (alerts.maxPerHour)");
        }
        return "\"" + digest.subject() + "\" " + delivery.name().toLowerCase(Locale.ROOT)
                + (delivery == Delivery.QUEUED ? " (the mail server did not take it yet; it is retried)" : "");
    }
}
