package dev.athanor.ops.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.athanor.backup.TransferProgress;
import dev.athanor.monitoring.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The installed releases: {@code DIR/releases/NAME/} for each, made whole or not at all (unpacked under a temporary
 * name, then renamed), and {@code DIR/current}, a link to the live one that is replaced atomically.
 */
final class ReleaseStore {

    /** What {@code release.json} records about a release when it is installed. */
    record Installed(String name, String version, Instant installedAt) {
    }

    /** A release with what is known of it: when it came, and why it was refused if it was. */
    record Entry(Release release, Installed installed, Optional<String> failure) {
    }

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path directory;

    ReleaseStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    Path directory() {
        return directory;
    }

    private Path releases() {
        return directory.resolve("releases");
    }

    /** Installs an archive; when the same release is there already, returns that one and installs nothing. */
    Release install(InputStream archive, long size, TransferProgress progress) throws DeployException {
        try {
            Files.createDirectories(releases());
            removeIncoming();
            Path incoming = releases().resolve(".incoming-" + UUID.randomUUID());
            Files.createDirectory(incoming, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            progress.start("Unpacking", size);
            ReleaseArchive.Unpacked unpacked;
            try {
                unpacked = ReleaseArchive.unpack(archive, incoming, progress);
            } catch (DeployException refused) {
                delete(incoming); // a refused archive leaves nothing behind
                throw refused;
            }
            String name = unpacked.name();
            Path target = releases().resolve(name);
            if (Files.exists(target.resolve("release.json"))) {
                delete(incoming);
                return new Release(name, target);
            }
            delete(target); // a half-renamed leftover cannot exist (rename is atomic), but a hand-made one might
            Files.writeString(incoming.resolve("SHA256SUMS"), unpacked.sumsFile(), StandardCharsets.UTF_8);
            AtomicFiles.write(incoming.resolve("release.json"), JSON.writeValueAsBytes(
                    new Installed(name, unpacked.version(), Instant.now())), AtomicFiles.PUBLIC);
            Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            return new Release(name, target);
        } catch (IOException e) {
            throw new DeployException("cannot install the release under " + releases() + ": " + e.getMessage(), 74, e);
        }
    }

    /** Every installed release, newest first. */
    List<Entry> list() {
        if (!Files.isDirectory(releases())) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(releases())) {
            for (Path child : children.filter(path -> !path.getFileName().toString().startsWith(".")).toList()) {
                Path record = child.resolve("release.json");
                if (Files.isRegularFile(record)) {
                    Installed installed = JSON.readValue(record.toFile(), Installed.class);
                    Path failed = child.resolve("FAILED");
                    Optional<String> failure = Files.exists(failed)
                            ? Optional.of(Files.readString(failed).strip()) : Optional.empty();
                    entries.add(new Entry(new Release(installed.name(), child), installed, failure));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(Comparator.comparing((Entry entry) -> entry.installed().installedAt()).reversed());
        return entries;
    }

    /** The release named exactly, or the one whose name or version starts so when only one does. */
    Optional<Release> find(String name) throws DeployException {
        List<Entry> entries = list();
        for (Entry entry : entries) {
            if (entry.release().name().equals(name)) {
                return Optional.of(entry.release());
            }
        }
        List<Entry> matches = entries.stream().filter(entry -> entry.release().name().startsWith(name)).toList();
        if (matches.size() > 1) {
            throw new DeployException(name + " names " + matches.size() + " releases ("
                    + String.join(", ", matches.stream().map(entry -> entry.release().name()).toList())
                    + "); give the whole name", 2);
        }
        return matches.stream().findFirst().map(Entry::release);
    }

    /** The release {@code current} links to. */
    Optional<Release> current() {
        Path link = directory.resolve("current");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            Path target = directory.resolve(Files.readSymbolicLink(link)).normalize();
            return Files.isDirectory(target) ? Optional.of(new Release(target.getFileName().toString(), target))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points {@code current} at the release: a new link renamed over the old, so it never is missing. */
    void makeCurrent(Release release) throws IOException {
        Path temporary = directory.resolve(".current-" + UUID.randomUUID());
        Files.createSymbolicLink(temporary, directory.relativize(release.directory()));
        Files.move(temporary, directory.resolve("current"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(release.directory().resolve("FAILED"));
    }

    /** Records why the release was refused, for {@code ops releases}. */
    void markFailed(Release release, String reason) throws IOException {
        Files.writeString(release.directory().resolve("FAILED"), reason + "\n", StandardCharsets.UTF_8);
    }

    /** The files whose content no longer matches {@code SHA256SUMS}, or that are missing. */
    List<String> damaged(Release release) throws IOException {
        List<String> damaged = new ArrayList<>();
        for (String line : Files.readAllLines(release.directory().resolve("SHA256SUMS"))) {
            String sum = line.substring(0, 64);
            String path = line.substring(66);
            Path file = release.directory().resolve(path);
            if (!Files.isRegularFile(file) || !ReleaseArchive.sha256(file).equals(sum)) {
                damaged.add(path);
            }
        }
        return damaged;
    }

    /** Deletes the oldest releases beyond {@code keep}, never one named in {@code kept}; returns their names. */
    List<String> prune(int keep, Set<String> kept) throws IOException {
        List<String> removed = new ArrayList<>();
        List<Entry> entries = list();
        int remaining = entries.size();
        for (int index = entries.size() - 1; index >= 0; index--) {
            Entry entry = entries.get(index);
            if (remaining <= keep) {
                break;
            }
            if (!kept.contains(entry.release().name())) {
                delete(entry.release().directory());
                removed.add(entry.release().name());
                remaining--;
            }
        }
        return removed;
    }

    /** Removes what a deploy killed while unpacking left behind. */
    private void removeIncoming() throws IOException {
        try (Stream<Path> children = Files.list(releases())) {
            for (Path child : children.filter(path -> path.getFileName().toString().startsWith(".incoming-"))
                    .toList()) {
                delete(child);
            }
        }
    }

    static void delete(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
