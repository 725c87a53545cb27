package dev.athanor.ops.deploy;

import dev.athanor.monitoring.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Which release takes traffic, in which slot, since when, and which one it replaced ({@code null} for the first):
 * {@code DIR/live.json}, written after nginx has been switched to it. {@code ops health}, {@code ops status} and
 * {@code ops doctor} read it to find the live instance's ports; {@code ops rollback} goes back to {@code previous}.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record LiveState(String release, String slot, Instant since, String previous) {

    static Path file(Path installDirectory) {
        return installDirectory.resolve("live.json");
    }

    /** The state recorded under the install directory, if a release has been deployed there. */
    public static Optional<LiveState> read(Path installDirectory) {
        Path file = file(installDirectory);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ReleaseStore.JSON.readValue(file.toFile(), LiveState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Path installDirectory) throws IOException {
        AtomicFiles.write(file(installDirectory), ReleaseStore.JSON.writeValueAsBytes(this), AtomicFiles.PUBLIC);
    }

    /** The slot a new release starts in. */
    String otherSlot() {
        return slot.equals("a") ? "b" : "a";
    }
}
