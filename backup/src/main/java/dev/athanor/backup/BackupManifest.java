package dev.athanor.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a backup is, written as {@code ID.manifest.json} beside its archive after pg_dump exited 0 and the archive's
 * upload completed: a backup exists only when its manifest does. Plain JSON, readable without Athanor.
 *
 * @param format the manifest's format version
 * @param archive the archive's object name, beside this manifest
 * @param bytes the archive's size as stored
 * @param sha256 the SHA-256 of the archive as stored (after encryption, when encrypted), hex
 * @param encryption how the archive is encrypted, or null when it is a plain pg_dump archive
 * @param tables exact row counts per table ({@code schema.table}) in the snapshot pg_dump dumped, and the number of
 *     large objects under {@code pg_largeobject}
 * @param warnings what pg_dump said on its error stream, and whether the archive is much smaller than the last one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(int format, String id, BackupKind kind, String database, String server,
        String serverVersion, String pgDumpVersion, Instant startedAt, Instant finishedAt, String archive, long bytes,
        String sha256, Encryption encryption, Map<String, Long> tables, List<String> warnings) {

    public static final int FORMAT = 1;

    /** The archive's encryption: {@code age} to an X25519 recipient (the public half of the key file). */
    public record Encryption(String scheme, String recipient) {
    }

    public boolean encrypted() {
        return encryption != null;
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
