package dev.athanor.backup;

import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.StorageException;
import dev.athanor.backup.storage.StoredObject;
import dev.athanor.backup.storage.UnfinishedUpload;
import dev.athanor.common.Sizes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups that did not finish because their process stopped (killed, or the machine went down): found by the next
 * {@code ops backup run} and by {@code ops backup prune}, their partial dump removed ({@code ID.dump.partial}, an
 * incomplete multipart upload), and each recorded as a failed attempt ({@code ID.failed.json}) so that retention,
 * alerts and {@code ops status} see it. A backup being written now is never touched: its {@link BackupLease} says so.
 * What has no lease (left by a version of ops before leases) is taken as unfinished once an hour passed without a
 * write to it.
 */
final class UnfinishedBackups {

    /** An upload without a lease that was written to within this is left alone. */
    static final Duration UNOWNED_GRACE = Duration.ofHours(1);

    private static final Logger LOGGER = LoggerFactory.getLogger(UnfinishedBackups.class);

    private final BackupStorage storage;
    private final Clock clock;

    UnfinishedBackups(BackupStorage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /**
     * Removes what stopped backups left and records each as failed (on a dry run, only says so).
     *
     * @return the failed attempts recorded (or that would be), oldest first
     * @throws BackupException when the storage could not be listed, or a removal or record failed
     */
    List<BackupFailure> sweep(boolean dryRun) throws BackupException {
        return sweep(dryRun, Optional.empty());
    }

    /**
     * The same, from a backup being taken now: its own id is never touched. Its lease is stored on a thread of its
     * own, so the sweep may read an older lease of the same id first: a run killed in the same second as this one
     * started has this one's name, and its partial dump is this one's file. That attempt is overwritten by this one
     * and leaves no failure record.
     */
    List<BackupFailure> sweep(boolean dryRun, Optional<BackupId> own) throws BackupException {
        Instant now = clock.instant();
        List<StoredObject> objects = storage.list();
        Set<String> names = BackupCatalog.names(objects);
        Map<BackupId, List<UnfinishedUpload>> uploads = new TreeMap<>();
        for (UnfinishedUpload upload : storage.unfinished()) {
            BackupId.ofObject(upload.name()).ifPresent(id -> uploads.computeIfAbsent(id, key -> new ArrayList<>())
                    .add(upload));
        }
        Set<BackupId> ids = new TreeSet<>(uploads.keySet());
        objects.stream().filter(object -> object.name().endsWith(BackupLease.SUFFIX))
                .forEach(object -> BackupId.ofObject(object.name()).ifPresent(ids::add));
        List<BackupFailure> recorded = new ArrayList<>();
        own.ifPresent(ids::remove);
        for (BackupId id : ids) {
            List<UnfinishedUpload> left = uploads.getOrDefault(id, List.of());
            Optional<BackupLease> lease = names.contains(BackupLease.name(id)) ? lease(id) : Optional.empty();
            boolean running = lease.isPresent() ? lease.get().ownerAlive(now)
                    : left.stream().anyMatch(upload -> upload.lastWritten().plus(UNOWNED_GRACE).isAfter(now));
            if (running) {
                continue;
            }
            boolean ended = names.contains(id.manifest()) || names.contains(id.failure());
            Optional<BackupFailure> failure = ended ? Optional.empty()
                    : Optional.of(failure(id, left, objects, lease, now, dryRun));
            failure.ifPresent(recorded::add);
            if (dryRun) {
                continue;
            }
            for (UnfinishedUpload upload : left) {
                storage.discard(upload);
            }
            if (failure.isPresent()) {
                // a complete archive whose manifest was never written is no backup either
                for (String archive : List.of(id.archive(false), id.archive(true))) {
                    if (names.contains(archive)) {
                        storage.delete(archive);
                    }
                }
                storage.put(id.failure(), BackupJson.write(failure.get()));
                LOGGER.warn("Backup {} {}", id, failure.get().reason());
            }
            if (lease.isPresent()) {
                storage.delete(BackupLease.name(id));
            }
        }
        return List.copyOf(recorded);
    }

    private Optional<BackupLease> lease(BackupId id) {
        try {
            return storage.get(BackupLease.name(id)).map(json -> {
                try {
                    return BackupJson.read(json, BackupLease.class, BackupLease.name(id));
                } catch (BackupException e) {
                    LOGGER.warn("Ignoring the unreadable lease {}: {}", BackupLease.name(id), e.getMessage());
                    return null;
                }
            });
        } catch (StorageException e) {
            LOGGER.warn("Could not read the lease {}: {}", BackupLease.name(id), e.getMessage());
            return Optional.empty();
        }
    }

    private static BackupFailure failure(BackupId id, List<UnfinishedUpload> left, List<StoredObject> objects,
            Optional<BackupLease> lease, Instant now, boolean dryRun) {
        long bytes = 0;
        Instant lastSign = lease.map(BackupLease::renewedAt).orElse(id.startedAt());
        for (UnfinishedUpload upload : left) {
            if (isArchive(id, upload.name())) {
                bytes += upload.bytes();
            }
            lastSign = later(lastSign, upload.lastWritten());
        }
        for (StoredObject object : objects) {
            if (isArchive(id, object.name())) {
                bytes += object.size();
                lastSign = later(lastSign, object.lastModified());
            }
        }
        String who = lease.map(held -> "its process (" + held.describeOwner() + ")").orElse("its process");
        String removed = dryRun ? "" : "; the partial dump was removed";
        String reason = "did not finish: " + who + " stopped (killed, or the machine went down) "
                + (bytes > 0 ? "after writing " + Sizes.human(bytes) + removed : "before any of the dump was stored");
        return new BackupFailure(id.toString(), id.kind(), id.startedAt(), later(id.startedAt(),
                lastSign.isAfter(now) ? now : lastSign), reason);
    }

    private static boolean isArchive(BackupId id, String name) {
        return name.equals(id.archive(false)) || name.equals(id.archive(true));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
