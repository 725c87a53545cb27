package dev.athanor.backup;

import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.StoredObject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The newest backup, the newest restore test and a failed attempt since, for status pages: read from one listing and
 * at most four small objects, however many backups the storage holds (the full {@link BackupCatalog} reads every record).
 *
 * @param newest the newest complete backup, with its verification if it has one
 * @param lastVerification the verification written last, of whichever listed backup
 * @param anyAttempt whether the storage holds any backup or failed attempt at all
 * @param failedSince the newest failed attempt, when it is newer than the newest complete backup (the last attempt
 *     failed: {@code ops status} says so until a backup succeeds)
 */
public record BackupOverview(Optional<BackupCatalog.Entry> newest, Optional<BackupVerification> lastVerification,
        boolean anyAttempt, Optional<BackupFailure> failedSince) {

    /**
     * Reads the overview of {@code storage}.
     *
     * @throws BackupException when the listing or a record could not be read, or the newest manifest names an archive
     *     that is missing: never "no backup" for a storage that could not be read
     */
    public static BackupOverview read(BackupStorage storage) throws BackupException {
        List<StoredObject> objects = storage.list();
        Set<String> names = BackupCatalog.names(objects);
        Optional<BackupId> newestId = BackupCatalog.manifestIds(objects).max(Comparator.naturalOrder());
        boolean anyAttempt = newestId.isPresent() || objects.stream().anyMatch(object -> BackupId
                .ofObject(object.name()).filter(id -> object.name().equals(id.failure())).isPresent());
        Optional<BackupCatalog.Entry> newest = Optional.empty();
        if (newestId.isPresent()) {
            BackupId id = newestId.get();
            newest = Optional.of(BackupCatalog.entry(storage, names, id,
                    BackupCatalog.readRecord(storage, id.manifest(), BackupManifest.class)));
        }
        Optional<StoredObject> lastWritten = objects.stream()
                .filter(object -> BackupId.ofObject(object.name()).filter(id -> object.name().equals(id.verification())
                        && names.contains(id.manifest())).isPresent())
                .max(Comparator.comparing(StoredObject::lastModified));
        Optional<BackupVerification> lastVerification = Optional.empty();
        if (lastWritten.isPresent()) {
            boolean ofNewest = newest.isPresent()
                    && lastWritten.get().name().equals(newest.get().id().verification());
            lastVerification = ofNewest ? newest.get().verification() : Optional.of(BackupCatalog.readRecord(storage,
                    lastWritten.get().name(), BackupVerification.class));
        }
        Optional<BackupId> newestFailure = objects.stream().map(StoredObject::name)
                .flatMap(name -> BackupId.ofObject(name).filter(id -> name.equals(id.failure())).stream())
                .max(Comparator.naturalOrder())
                .filter(failed -> newestId.map(complete -> failed.compareTo(complete) > 0).orElse(true));
        Optional<BackupFailure> failedSince = newestFailure.isEmpty() ? Optional.empty()
                : Optional.of(BackupCatalog.readRecord(storage, newestFailure.get().failure(), BackupFailure.class));
        return new BackupOverview(newest, lastVerification, anyAttempt, failedSince);
    }
}
