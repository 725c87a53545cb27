package dev.athanor.backup.pitr;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.BackupJson;
import dev.athanor.common.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last restore drill, kept as {@code pitr-drill.json} in {@code storage.dataDirectory} for {@code ops pitr
 * status}, {@code ops status} and the weekly digest.
 *
 * @param at when the drill began
 * @param markId the mark it restored to; null when there was none to restore to
 * @param markedAt the mark's moment, the restore's target
 * @param differences the tables whose counts differed from the mark's (empty when they all matched)
 * @param error why the drill could not compare (the restore or the start failed); null when it compared
 * @param took how long the whole drill took
 */
public record DrillResult(Instant at, Long markId, Instant markedAt, List<String> differences, String error,
        Duration took) {

    /** The file's name in {@code storage.dataDirectory}. */
    public static final String FILE = "pitr-drill.json";

    public DrillResult {
        differences = differences == null ? List.of() : List.copyOf(differences);
    }

    /** The restore reached the mark and every count matched. */
    @JsonIgnore
    public boolean passed() {
        return error == null && differences.isEmpty();
    }

    /** One line: when, to which mark, and the outcome. */
    public String describe() {
        String target = markId == null ? "" : " to mark " + markId + " (" + markedAt + ")";
        if (error != null) {
            return "drill " + at + target + " FAILED: " + error;
        }
        return "drill " + at + target + (differences.isEmpty() ? " passed: every count matched"
                : " FAILED: " + differences.size() + " table(s) differ: " + String.join("; ", differences))
                + " (" + Durations.human(took) + ")";
    }

    /** Writes it to {@code dataDirectory}, replacing the last one. */
    public void save(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        Path temporary = dataDirectory.resolve(FILE + ".tmp");
        Files.write(temporary, BackupJson.write(this));
        Files.move(temporary, dataDirectory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The last drill recorded in {@code dataDirectory}; empty when none ran yet. */
    public static Optional<DrillResult> last(Path dataDirectory) throws BackupException {
        Path file = dataDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(BackupJson.read(Files.readAllBytes(file), DrillResult.class, file.toString()));
        } catch (IOException e) {
            throw new BackupException(file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
