package dev.athanor.platform.db;

import dev.athanor.platform.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * Finds the PostgreSQL server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) for the embedded default.
 *
 * <p>In order: the directory the operator configured; the binaries bundled in the jar for this platform, unpacked
 * once into a cache directory; the machine's own PostgreSQL ({@code /usr/lib/postgresql/N/bin}, newest first, or the
 * {@code PATH}). A newcomer with only a JDK gets the bundled ones.
 */
final class PostgresBinaries {

    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");

    private PostgresBinaries() {
    }

    /**
     * The directory holding initdb, pg_ctl and postgres.
     *
     * @param configured a directory the operator named, used alone when present
     * @param cacheDirectory where bundled binaries are unpacked
     */
    static Path locate(Optional<Path> configured, Path cacheDirectory) throws EmbeddedPostgresException {
        if (configured.isPresent()) {
            if (!hasPrograms(configured.get())) {
                throw new EmbeddedPostgresException("database.embedded.binDirectory " + configured.get()
                        + " does not hold initdb, pg_ctl and postgres");
            }
            return configured.get();
        }
        Optional<String> bundled = bundledArchiveName();
        if (bundled.isPresent()) {
            return unpack(bundled.get(), cacheDirectory);
        }
        for (Path candidate : machineCandidates()) {
            if (hasPrograms(candidate)) {
                return candidate;
            }
        }
        throw new EmbeddedPostgresException("no PostgreSQL server binaries for " + platform()
                + ": install PostgreSQL (apt-get install postgresql, brew install postgresql@15)"
                + " or set database.embedded.binDirectory, or set DATABASE_URL to use a running server");
    }

    private static Optional<String> bundledArchiveName() {
        String name = "postgres-" + platform() + ".txz";
        return PostgresBinaries.class.getClassLoader().getResource(name) == null ? Optional.empty() : Optional.of(name);
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return osName + "-" + archName;
    }

    private static boolean hasPrograms(Path directory) {
        return PROGRAMS.stream().allMatch(program -> Files.isExecutable(directory.resolve(program)));
    }

    private static List<Path> machineCandidates() {
        List<Path> candidates = new ArrayList<>();
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(path -> path.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path path) -> Integer.parseInt(path.getFileName().toString()))
                                .reversed())
                        .forEach(path -> candidates.add(path.resolve("bin")));
            } catch (IOException e) {
                LOGGER.debug("Could not list {}", debian, e);
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                candidates.add(Path.of(entry));
            }
        }
        return candidates;
    }

    /**
     * Unpacks the bundled archive into a directory named for its checksum, so that a new release unpacks beside the
     * old one and two processes starting at once never see a half-written tree (each unpacks to its own temporary
     * directory, and the first rename wins).
     */
    private static Path unpack(String resource, Path cacheDirectory) throws EmbeddedPostgresException {
        try {
            Path target = cacheDirectory.resolve("postgresql-" + checksum(resource));
            Path bin = target.resolve("bin");
            if (hasPrograms(bin)) {
                return bin;
            }
            Files.createDirectories(cacheDirectory);
            Path staging = Files.createTempDirectory(cacheDirectory, ".unpacking-");
            // Readable by all: PostgreSQL may run as another user than the one unpacking it (see UnprivilegedUser).
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            LOGGER.info("Unpacking the bundled PostgreSQL into {}", target);
            try {
                extract(resource, staging);
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!hasPrograms(bin)) {
                        throw e;
                    }
                    // Another process unpacked the same archive first.
                }
            } finally {
                deleteTree(staging);
            }
            return bin;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("could not unpack the bundled PostgreSQL into " + cacheDirectory
                    + ": " + e.getMessage(), e);
        }
    }

    private static String checksum(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return Sha256.hex(in).substring(0, 16);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " vanished from the class path");
        }
        return new BufferedInputStream(in, 1 << 16);
    }

    private static void extract(String resource, Path destination) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(open(resource)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = destination.resolve(entry.getName()).normalize();
                if (!target.startsWith(destination)) {
                    throw new IOException("archive entry escapes its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(target,
                            PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOGGER.warn("Could not remove {}", root, e);
        }
    }
}
