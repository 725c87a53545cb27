package dev.athanor.backup.pitr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the repository holds for the stanza, as {@code pgbackrest info --output=json} says: its backups, oldest first,
 * and the range of archived log segments.
 */
public record RepositoryInfo(int statusCode, String statusMessage, List<StoredBackup> backups,
        Optional<String> oldestSegment, Optional<String> newestSegment) {

    /** One base backup: pgBackRest's label, full/diff/incr, when it started and stopped, and its sizes. */
    public record StoredBackup(String label, String type, Instant started, Instant stopped, long databaseBytes,
            long repositoryBytes) {
    }

    /** Parses pgBackRest's JSON for the stanza {@link PitrFactory#STANZA}. */
    static RepositoryInfo parse(String json) throws PitrException {
        try {
            for (JsonNode stanza : new ObjectMapper().readTree(json)) {
                if (!PitrFactory.STANZA.equals(stanza.path("name").asText())) {
                    continue;
                }
                List<StoredBackup> backups = new ArrayList<>();
                for (JsonNode backup : stanza.path("backup")) {
                    if (backup.path("error").asBoolean(false)) {
                        continue;
                    }
                    backups.add(new StoredBackup(backup.path("label").asText(), backup.path("type").asText(),
                            Instant.ofEpochSecond(backup.path("timestamp").path("start").asLong()),
                            Instant.ofEpochSecond(backup.path("timestamp").path("stop").asLong()),
                            backup.path("info").path("size").asLong(),
                            backup.path("info").path("repository").path("size").asLong()));
                }
                backups.sort(Comparator.comparing(StoredBackup::stopped));
                Optional<String> min = Optional.empty();
                Optional<String> max = Optional.empty();
                for (JsonNode archive : stanza.path("archive")) {
                    String low = archive.path("min").asText("");
                    String high = archive.path("max").asText("");
                    if (!low.isEmpty() && (min.isEmpty() || low.compareTo(min.get()) < 0)) {
                        min = Optional.of(low);
                    }
                    if (!high.isEmpty() && (max.isEmpty() || high.compareTo(max.get()) > 0)) {
                        max = Optional.of(high);
                    }
                }
                return new RepositoryInfo(stanza.path("status").path("code").asInt(-1),
                        stanza.path("status").path("message").asText(""), List.copyOf(backups), min, max);
            }
            return new RepositoryInfo(1, "missing stanza path", List.of(), Optional.empty(), Optional.empty());
        } catch (java.io.IOException e) {
            throw new PitrException("pgbackrest info printed what is not JSON: " + e.getMessage(),
                    PitrException.FAILED, e);
        }
    }

    /**
     * The moments a restore can reach: from the end of the oldest backup to {@code newestArchived} (when the log was
     * last archived, as the running server says), or empty while no backup is complete.
     */
    public Optional<RecoveryWindow> window(Optional<Instant> newestArchived) {
        if (backups.isEmpty()) {
            return Optional.empty();
        }
        Instant oldest = backups.get(0).stopped();
        Instant newestBackup = backups.get(backups.size() - 1).stopped();
        Instant newest = newestArchived.filter(moment -> moment.isAfter(newestBackup)).orElse(newestBackup);
        return Optional.of(new RecoveryWindow(oldest, newest));
    }

    /** The newest complete backup, if any. */
    public Optional<StoredBackup> newest() {
        return backups.isEmpty() ? Optional.empty() : Optional.of(backups.get(backups.size() - 1));
    }
}
