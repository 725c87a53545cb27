package dev.athanor.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL client programs that backups run: {@code pg_dump} and {@code pg_restore}, from one directory and so of
 * one version.
 *
 * <p>They are looked for in the configured directory if there is one, then in Debian's versioned directories
 * ({@code /usr/lib/postgresql/N/bin}, newest first, because a newer pg_dump can dump an older server but not the other
 * way round), then on the {@code PATH}.
 */
public final class PostgresClient {

    private static final Path DEBIAN_VERSIONED = Path.of("/usr/lib/postgresql");

    private final Path binDirectory;
    private final PostgresVersion version;

    private PostgresClient(Path binDirectory, PostgresVersion version) {
        this.binDirectory = binDirectory;
        this.version = version;
    }

    /**
     * Finds pg_dump and pg_restore.
     *
     * @param configured a directory the operator named, searched alone when present
     * @throws ToolNotFoundException when no searched directory holds both programs
     */
    public static PostgresClient locate(Optional<Path> configured) throws ToolNotFoundException {
        List<Path> candidates = configured.map(List::of).orElseGet(PostgresClient::defaultSearchPath);
        for (Path directory : candidates) {
            if (isExecutable(directory.resolve("pg_dump")) && isExecutable(directory.resolve("pg_restore"))) {
                return new PostgresClient(directory, readVersion(directory.resolve("pg_dump")));
            }
        }
        throw new ToolNotFoundException("pg_dump", candidates);
    }

    /** The directory both programs were found in. */
    public Path binDirectory() {
        return binDirectory;
    }

    public Path pgDump() {
        return binDirectory.resolve("pg_dump");
    }

    public Path pgRestore() {
        return binDirectory.resolve("pg_restore");
    }

    /** The version pg_dump reports of itself. */
    public PostgresVersion version() {
        return version;
    }

    private static List<Path> defaultSearchPath() {
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(DEBIAN_VERSIONED)) {
            try (Stream<Path> versions = Files.list(DEBIAN_VERSIONED)) {
                versions.filter(path -> path.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path path) -> Integer.parseInt(path.getFileName().toString()))
                                .reversed())
                        .map(path -> path.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException e) {
                // An unreadable /usr/lib/postgresql only means fewer candidates.
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                candidates.add(Path.of(entry));
            }
        }
        return candidates;
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    private static PostgresVersion readVersion(Path pgDump) throws ToolNotFoundException {
        try {
            Process process = new ProcessBuilder(pgDump.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new ToolNotFoundException("pg_dump", List.of(pgDump.getParent()));
            }
            return PostgresVersion.parse(output);
        } catch (IOException | IllegalArgumentException e) {
            throw new ToolNotFoundException("pg_dump", List.of(pgDump.getParent()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolNotFoundException("pg_dump", List.of(pgDump.getParent()));
        }
    }
}
