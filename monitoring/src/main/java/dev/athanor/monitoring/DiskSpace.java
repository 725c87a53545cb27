package dev.athanor.monitoring;

import dev.athanor.common.Sizes;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Free space on the file system that holds a directory, read when asked.
 *
 * <p>The site's health checks and {@code ops doctor} both ask this of the data and log directories. A directory that
 * does not exist yet (a fresh install before the first log line) is measured on its nearest existing parent, which is
 * where it will be created.
 */
public final class DiskSpace {

    private DiskSpace() {
    }

    /** One measurement of the file system under {@code directory}. */
    public record Reading(Path directory, long usableBytes, long totalBytes) {

        public Reading {
            Objects.requireNonNull(directory, "directory");
            if (usableBytes < 0 || totalBytes < 0 || usableBytes > totalBytes) {
                throw new IllegalArgumentException(
                        "impossible reading for " + directory + ": " + usableBytes + " of " + totalBytes + " bytes");
            }
        }

        /** Usable space as a percentage of the file system's size; 0 for an empty file system. */
        public double usablePercent() {
            return totalBytes == 0 ? 0 : 100.0 * usableBytes / totalBytes;
        }

        /** A short phrase for logs and health messages, such as {@code "12.3 GiB free (41%) on /var/lib/athanor"}. */
        public String describe() {
            return String.format(Locale.ROOT, "%s free (%.0f%%) on %s", Sizes.human(usableBytes), usablePercent(), directory);
        }
    }

    /**
     * Measures the file system holding {@code directory}.
     *
     * @throws IOException when neither the directory nor any of its parents can be read
     */
    public static Reading measure(Path directory) throws IOException {
        Path existing = nearestExisting(directory.toAbsolutePath().normalize());
        FileStore store = Files.getFileStore(existing);
        return new Reading(directory, store.getUsableSpace(), store.getTotalSpace());
    }

    private static Path nearestExisting(Path path) throws IOException {
        Path candidate = path;
        while (candidate != null && !Files.exists(candidate)) {
            candidate = candidate.getParent();
        }
        if (candidate == null) {
            throw new IOException("no existing parent directory for " + path);
        }
        return candidate;
    }
}
