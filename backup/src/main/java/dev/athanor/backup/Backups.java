package dev.athanor.backup;

import dev.athanor.backup.archive.AgeEncryption;
import dev.athanor.backup.retention.RetentionCandidate;
import dev.athanor.backup.retention.RetentionPlan;
import dev.athanor.backup.retention.RetentionPolicy;
import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.StorageException;
import dev.athanor.backup.storage.StoredObject;
import dev.athanor.common.Sizes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backups of one site: take one, list them, restore or verify one, apply retention, and say how old the newest
 * one is. The public face of this module; {@code ops backup ...} and the scheduler's jobs call only this. Alerts for
 * failures go to the {@link AlertSink} from here.
 */
public final class Backups implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(Backups.class);

    private final BackupStorage storage;
    private final ClientLocator client;
    private final Optional<AgeEncryption> encryption;
    private final RetentionPolicy retention;
    private final double shrinkAlertRatio;
    private final AlertSink alerts;
    private final Clock clock;

    /** Finds pg_dump and pg_restore when a command first needs them (list and prune do not). */
    @FunctionalInterface
    public interface ClientLocator {
        PostgresClient locate() throws ToolNotFoundException;
    }

    public Backups(BackupStorage storage, ClientLocator client, Optional<AgeEncryption> encryption,
            RetentionPolicy retention, double shrinkAlertRatio, AlertSink alerts, Clock clock) {
        this.storage = storage;
        this.client = client;
        this.encryption = encryption;
        this.retention = retention;
        this.shrinkAlertRatio = shrinkAlertRatio;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** Where backups are kept, for people. */
    public String describeStorage() {
        return storage.describe();
    }

    /**
     * Takes a backup of {@code source}. On failure nothing is kept but a failure record, and an alert goes out
     * ({@code backup-failed}) before the {@link BackupFailedException} or {@link ToolNotFoundException} is thrown.
     *
     * @param cancelled polled while the dump streams; true stops the backup cleanly
     */
    public BackupResult run(BackupKind kind, PostgresTarget source, TransferProgress progress,
            BooleanSupplier cancelled) throws BackupException {
        BackupId id = new BackupId(clock.instant(), kind);
        PostgresClient located;
        try {
            located = client.locate();
        } catch (ToolNotFoundException e) {
            alerts.raise("backup-failed", "Backup failed: " + e.getMessage(), e.getMessage());
            throw e;
        }
        return run(id, source, () -> StartedDump.start(located, source), progress, cancelled);
    }

    private BackupResult run(BackupId id, PostgresTarget source, DumpWriter.DumpStart start,
            TransferProgress progress, BooleanSupplier cancelled) throws BackupException {
        List<String> warnings = new ArrayList<>();
        // Read while the dump runs, from when it runs: from a remote bucket, a listing and the newest manifests
        // would hold pg_dump back, and so would setting up the storage's client first.
        AtomicReference<CompletableFuture<Optional<BackupCatalog.Entry>>> previousLookup = new AtomicReference<>();
        // Also from when pg_dump runs: our lease (so that no other run or prune takes this backup for a stopped
        // one), and the removal of what stopped runs left.
        AtomicReference<BackupLease.Held> lease = new AtomicReference<>();
        AtomicReference<CompletableFuture<List<BackupFailure>>> sweep = new AtomicReference<>();
        DumpWriter writer = new DumpWriter(storage, encryption, clock);
        try {
            BackupManifest manifest = writer.write(id, start, warnings, progress, cancelled, () -> {
                previousLookup.set(Background.supply("backup-previous",
                        () -> BackupCatalog.newestGoodOf(storage, source.database(), source.server())));
                lease.set(BackupLease.take(storage, id, clock));
                sweep.set(Background.supply("backup-unfinished",
                        () -> new UnfinishedBackups(storage, clock).sweep(false, Optional.of(id))));
            });
            Optional<BackupCatalog.Entry> previous = Optional.empty();
            try {
                // set before pg_dump's output is read, so by any write that returns
                previous = Objects.requireNonNull(previousLookup.get()).join();
            } catch (CompletionException e) {
                List<String> noted = new ArrayList<>(manifest.warnings());
                noted.add("the previous backups could not be read to compare sizes: " + e.getCause().getMessage());
                manifest = withWarnings(manifest, noted);
            }
            BackupManifest written = manifest;
            Optional<Long> previousBytes = previous.map(entry -> entry.manifest().bytes());
            boolean muchSmaller = previousBytes.map(bytes -> written.bytes() < bytes * shrinkAlertRatio)
                    .orElse(false);
            if (muchSmaller) {
                List<String> flagged = new ArrayList<>(manifest.warnings());
                flagged.add("much smaller than the previous backup " + previous.get().manifest().id() + " ("
                        + Sizes.human(manifest.bytes()) + " against " + Sizes.human(previousBytes.get())
                        + ")");
                manifest = withWarnings(manifest, flagged);
            }
            writer.commit(manifest, id);
            List<BackupFailure> unfinished = reportUnfinished(sweep.get());
            String summary = "Backup " + id + " of " + source.describe() + " is complete: "
                    + Sizes.human(manifest.bytes()) + " in " + storage.describe() + ".";
            alerts.resolve("backup-failed", "backups work again", summary);
            if (muchSmaller) {
                alerts.raise("backup-smaller", "Backup " + id + " is much smaller than the previous one",
                        "Backup " + id + " of " + source.describe() + " is " + Sizes.human(manifest.bytes())
                                + "; the previous one, " + previous.get().manifest().id() + ", was "
                                + Sizes.human(previousBytes.get()) + ". Were tables dropped or emptied?");
            } else {
                alerts.resolve("backup-smaller", "the newest backup is not much smaller than the one before",
                        summary);
            }
            return new BackupResult(manifest, previousBytes, muchSmaller, unfinished);
        } catch (BackupFailedException e) {
            // A backup stopped by an interrupt still records its failure: the record is written uninterrupted.
            boolean interrupted = Thread.interrupted();
            try {
                writer.recordFailure(id, e.getMessage());
                reportUnfinished(sweep.get());
                alerts.raise("backup-failed", "Backup " + id + " failed",
                        e.getMessage() + "\n\nDatabase: " + source.describe() + "\nStorage: " + storage.describe());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        } finally {
            Optional.ofNullable(lease.get()).ifPresent(BackupLease.Held::close);
        }
    }

    /**
     * Waits for the removal of what stopped backups left (started beside the dump, when it started) and alerts
     * ({@code backup-failed}) for each it recorded as failed; a removal that failed is logged, and tried again by
     * the next run or prune.
     */
    private List<BackupFailure> reportUnfinished(CompletableFuture<List<BackupFailure>> sweep) {
        if (sweep == null) {
            return List.of();
        }
        try {
            List<BackupFailure> unfinished = sweep.join();
            alertUnfinished(unfinished);
            return unfinished;
        } catch (CompletionException e) {
            LOGGER.warn("Could not look for backups that did not finish in {}: {}", storage.describe(),
                    e.getCause().getMessage());
            return List.of();
        }
    }

    private void alertUnfinished(List<BackupFailure> unfinished) {
        for (BackupFailure failure : unfinished) {
            alerts.raise("backup-failed", "Backup " + failure.id() + " did not finish", "Backup " + failure.id()
                    + " " + failure.reason() + ".\n\nStorage: " + storage.describe());
        }
    }

    /** Every backup, newest first. */
    public BackupCatalog catalog() throws BackupException {
        return BackupCatalog.read(storage);
    }

    /**
     * Restores backup {@code id} into {@code target}, after proving the archive intact.
     *
     * @param force restore even into a database that holds tables or large objects (what the archive holds is
     *     dropped and recreated; other objects stay)
     * @throws RestoreRefusedException when the target is not empty and {@code force} is false
     */
    public BackupManifest restore(String id, PostgresTarget target, boolean force, TransferProgress progress)
            throws BackupException {
        BackupManifest manifest = find(id);
        ArchiveRestorer restorer = new ArchiveRestorer(storage, client.locate(), encryption);
        long existing = userObjects(target);
        if (existing > 0 && !force) {
            throw new RestoreRefusedException(target.describe() + " is not empty (" + existing
                    + " tables, sequences, views or large objects); restore into an empty database, or pass --force"
                    + " to restore over it");
        }
        restorer.checkIntact(manifest, progress);
        restorer.restore(manifest, target, existing > 0, progress);
        return manifest;
    }

    /**
     * Verifies a backup (the newest when {@code id} is empty) by restoring it into a scratch database on
     * {@code server}, and records the result beside it. A backup proven wrong is recorded as failed and alerted
     * ({@code backup-verify}) before the {@link VerificationFailedException} is thrown.
     */
    public BackupVerification verify(Optional<String> id, PostgresTarget server, TransferProgress progress)
            throws BackupException {
        BackupManifest manifest = id.isPresent() ? find(id.get())
                : catalog().newest().map(BackupCatalog.Entry::manifest).orElseThrow(
                        () -> new BackupNotFoundException("there is no backup to verify in " + storage.describe()));
        ScratchVerifier verifier = new ScratchVerifier(new ArchiveRestorer(storage, client.locate(), encryption));
        BackupId backupId = BackupId.parse(manifest.id()).orElseThrow();
        try {
            String detail = verifier.verify(manifest, server, progress);
            BackupVerification verification = new BackupVerification(manifest.id(), clock.instant(), true, detail);
            storage.put(backupId.verification(), BackupJson.write(verification));
            alerts.resolve("backup-verify", "backup " + manifest.id() + " passed its verification", detail);
            return verification;
        } catch (VerificationFailedException e) {
            BackupVerification verification = new BackupVerification(manifest.id(), clock.instant(), false,
                    e.getMessage());
            storage.put(backupId.verification(), BackupJson.write(verification));
            alerts.raise("backup-verify", "Backup " + manifest.id() + " failed its verification", e.getMessage());
            throw e;
        }
    }

    /**
     * Applies retention: deletes what the policy does not keep (nothing on a dry run, nothing at all when the plan is
     * refused). First, backups that did not finish (their process stopped) lose what they left and are recorded as
     * failed attempts (see {@link UnfinishedBackups}), and alerted. Each backup loses its manifest first, so an
     * interrupted prune never leaves a listed backup without its archive; archives left without a manifest are removed
     * by a later prune.
     */
    public PruneResult prune(boolean dryRun) throws BackupException {
        List<BackupFailure> unfinished = List.of();
        try {
            // first, so that retention sees the attempts that did not finish as the failures they were
            unfinished = new UnfinishedBackups(storage, clock).sweep(dryRun);
            alertUnfinished(dryRun ? List.of() : unfinished);
        } catch (BackupException e) {
            LOGGER.warn("Could not look for backups that did not finish in {}: {}", storage.describe(),
                    e.getMessage());
        }
        BackupCatalog catalog;
        try {
            catalog = catalog();
        } catch (BackupException e) {
            LOGGER.warn("Prune deletes nothing: {}", e.getMessage());
            return new PruneResult(new RetentionPlan(List.of(), Optional.of("the backup listing could not be read"
                    + " completely (" + e.getMessage() + "); nothing is deleted")), dryRun, List.of(), 0, unfinished);
        }
        List<RetentionCandidate> candidates = catalog.backups().stream()
                .map(entry -> new RetentionCandidate(entry.manifest().id(), entry.manifest().startedAt(),
                        entry.good(), entry.verified(), entry.manifest().kind() == BackupKind.PRE_DEPLOY))
                .toList();
        Optional<Instant> newestFailure = java.util.stream.Stream.concat(catalog.newestFailure().stream(),
                unfinished.stream().map(BackupFailure::startedAt)).max(Instant::compareTo);
        RetentionPlan plan = retention.plan(candidates, newestFailure, true);
        if (dryRun || plan.refusal().isPresent()) {
            return new PruneResult(plan, dryRun, List.of(), 0, unfinished);
        }
        List<String> deleted = new ArrayList<>();
        for (RetentionCandidate backup : plan.deletions()) {
            BackupId id = BackupId.parse(backup.id()).orElseThrow();
            BackupManifest manifest = catalog.find(backup.id()).orElseThrow().manifest();
            storage.delete(id.manifest());
            storage.delete(manifest.archive());
            storage.delete(id.verification());
            deleted.add(backup.id());
        }
        Optional<Instant> oldestKept = plan.kept().stream().map(RetentionCandidate::createdAt)
                .min(Instant::compareTo);
        int removedFailures = 0;
        for (BackupFailure failure : catalog.failures()) {
            if (oldestKept.isPresent() && failure.startedAt().isBefore(oldestKept.get())) {
                storage.delete(BackupId.parse(failure.id()).orElseThrow().failure());
                removedFailures++;
            }
        }
        removeOrphans(catalog);
        return new PruneResult(plan, false, deleted, removedFailures, unfinished);
    }

    /** The newest backup and the newest restore test, read quickly (see {@link BackupOverview}). */
    public BackupOverview overview() throws BackupException {
        return BackupOverview.read(storage);
    }

    /** Checks that the storage takes our requests: a HEAD on the bucket, or the directory writable. */
    public void checkStorage() throws StorageException {
        storage.checkAccess();
    }

    /** How old the newest good backup is. */
    public BackupAge age(Duration period, Duration grace) throws BackupException {
        return new BackupAge(catalog().newestGood().map(BackupCatalog.Entry::manifest), clock.instant(), period,
                grace);
    }

    @Override
    public void close() {
        storage.close();
    }

    private BackupManifest find(String id) throws BackupException {
        return catalog().find(id).map(BackupCatalog.Entry::manifest).orElseThrow(() -> new BackupNotFoundException(
                "no complete backup " + id + " in " + storage.describe() + " (ops backup list shows them)"));
    }

    /** Archives and records left by a crashed run or an interrupted prune: no manifest, older than a day. */
    private void removeOrphans(BackupCatalog catalog) throws StorageException {
        Instant dayAgo = clock.instant().minus(Duration.ofDays(1));
        for (StoredObject object : catalog.objects()) {
            Optional<BackupId> id = BackupId.ofObject(object.name());
            if (id.isEmpty() || object.name().endsWith(BackupId.FAILURE) || object.name().endsWith(BackupId.MANIFEST)
                    || object.name().endsWith(BackupLease.SUFFIX)
                    || catalog.find(id.get().toString()).isPresent() || !id.get().startedAt().isBefore(dayAgo)) {
                continue;
            }
            storage.delete(object.name());
        }
    }

    private static long userObjects(PostgresTarget target) throws BackupException {
        try (Connection connection = target.dataSource("athanor-restore").getConnection()) {
            return TableCounts.userObjects(connection);
        } catch (SQLException e) {
            throw new BackupException("could not reach the target database " + target.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static BackupManifest withWarnings(BackupManifest m, List<String> warnings) {
        return new BackupManifest(m.format(), m.id(), m.kind(), m.database(), m.server(), m.serverVersion(),
                m.pgDumpVersion(), m.startedAt(), m.finishedAt(), m.archive(), m.bytes(), m.sha256(), m.encryption(),
                m.tables(), List.copyOf(warnings));
    }
}
