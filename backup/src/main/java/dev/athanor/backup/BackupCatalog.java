package dev.athanor.backup;

import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The backups in a storage, read from one complete listing: every backup that has a manifest, newest first, with its
 * verification if it has one, and the failed attempts. Archives without a manifest are not backups.
 */
public record BackupCatalog(List<Entry> backups, List<BackupFailure> failures, List<StoredObject> objects) {

    /** A complete backup. */
    public record Entry(BackupManifest manifest, Optional<BackupVerification> verification) {

        public BackupId id() {
            return BackupId.parse(manifest.id()).orElseThrow();
        }

        /** Restored and found matching its manifest by the latest verification. */
        public boolean verified() {
            return verification.map(BackupVerification::passed).orElse(false);
        }

        /** Complete and not proven bad. */
        public boolean good() {
            return verification.map(BackupVerification::passed).orElse(true);
        }
    }

    /**
     * Lists {@code storage} and reads every manifest, verification and failure record in it.
     *
     * @throws BackupException when the listing or any record could not be read: a partial catalog is never returned
     */
    public static BackupCatalog read(BackupStorage storage) throws BackupException {
        List<StoredObject> objects = storage.list();
        Set<String> names = names(objects);
        List<Entry> backups = new ArrayList<>();
        List<BackupFailure> failures = new ArrayList<>();
        for (StoredObject object : objects) {
            Optional<BackupId> id = BackupId.ofObject(object.name());
            if (id.isEmpty()) {
                continue;
            }
            if (object.name().equals(id.get().manifest())) {
                backups.add(entry(storage, names, id.get(),
                        readRecord(storage, object.name(), BackupManifest.class)));
            } else if (object.name().equals(id.get().failure())) {
                failures.add(readRecord(storage, object.name(), BackupFailure.class));
            }
        }
        backups.sort(Comparator.comparing((Entry entry) -> entry.manifest().startedAt()).reversed());
        failures.sort(Comparator.comparing(BackupFailure::startedAt).reversed());
        return new BackupCatalog(List.copyOf(backups), List.copyOf(failures), List.copyOf(objects));
    }

    /** The backup with this id. */
    public Optional<Entry> find(String id) {
        return backups.stream().filter(entry -> entry.manifest().id().equals(id)).findFirst();
    }

    /** The newest backup whose verification passed or that was never proven bad. */
    public Optional<Entry> newestGood() {
        return backups.stream().filter(Entry::good).findFirst();
    }

    /** The newest backup, good or not. */
    public Optional<Entry> newest() {
        return backups.stream().findFirst();
    }

    /**
     * The newest good backup of {@code database} on {@code server}, for comparing sizes: from one listing, reading
     * manifests newest first only until one of that database and server is not proven bad (with its verification,
     * when it has one), rather than every record in the storage as {@link #read} does. Older records, and the archives
     * of other databases' backups, are not looked at, so a damaged one of those goes unnoticed here (list and prune
     * read them all).
     *
     * @throws BackupException when the listing or a record read could not be, or a manifest of this database and
     *     server names an archive that is missing
     */
    public static Optional<Entry> newestGoodOf(BackupStorage storage, String database, String server)
            throws BackupException {
        List<StoredObject> objects = storage.list();
        Set<String> names = names(objects);
        List<BackupId> newestFirst = manifestIds(objects).sorted(Comparator.reverseOrder()).toList();
        for (BackupId id : newestFirst) {
            BackupManifest manifest = readRecord(storage, id.manifest(), BackupManifest.class);
            if (!manifest.database().equals(database) || !manifest.server().equals(server)) {
                continue;
            }
            Entry entry = entry(storage, names, id, manifest);
            if (entry.good()) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** The backups a listing holds a manifest of. */
    static Stream<BackupId> manifestIds(List<StoredObject> objects) {
        return objects.stream().map(StoredObject::name)
                .flatMap(name -> BackupId.ofObject(name).filter(id -> name.equals(id.manifest())).stream());
    }

    static Set<String> names(List<StoredObject> objects) {
        return objects.stream().map(StoredObject::name).collect(Collectors.toSet());
    }

    /**
     * The backup {@code manifest} describes, with its verification when {@code names} (the listing) holds one.
     *
     * @throws BackupException when the manifest's archive is not listed, or the verification could not be read
     */
    static Entry entry(BackupStorage storage, Set<String> names, BackupId id, BackupManifest manifest)
            throws BackupException {
        if (!names.contains(manifest.archive())) {
            throw new BackupException(id.manifest() + " names the archive " + manifest.archive()
                    + ", which is missing from " + storage.describe());
        }
        return new Entry(manifest, names.contains(id.verification())
                ? Optional.of(readRecord(storage, id.verification(), BackupVerification.class))
                : Optional.empty());
    }

    /** When the newest failed attempt started, if any. */
    public Optional<Instant> newestFailure() {
        return failures.stream().map(BackupFailure::startedAt).findFirst();
    }

    static <T> T readRecord(BackupStorage storage, String name, Class<T> type) throws BackupException {
        byte[] json = storage.get(name).orElseThrow(() -> new BackupException(
                name + " was listed but could not be read from " + storage.describe()));
        return BackupJson.read(json, type, storage.describe() + "/" + name);
    }
}
