package dev.athanor.ops.certs;

import dev.athanor.monitoring.AtomicFiles;
import dev.athanor.monitoring.certificates.CertificateFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Puts a checked pair in place without a moment where key and certificate disagree: the pair is written complete into
 * a new version directory (each file under a temporary name, flushed, renamed; the key 0600), then {@code previous}
 * is pointed at the old version and {@code current} at the new, each by an atomic rename of a symbolic link. Versions
 * other than these two are removed afterwards.
 */
public final class CertificateInstaller {

    private final CertificateFiles files;
    private final Consumer<String> afterStep;

    public CertificateInstaller(CertificateFiles files) {
        this(files, step -> { });
    }

    /** With a hook called after each step (its name), so a test can stop the process between two writes. */
    CertificateInstaller(CertificateFiles files, Consumer<String> afterStep) {
        this.files = files;
        this.afterStep = afterStep;
    }

    /** Checks that the certificate's directory can be written, before anything is ordered. */
    public void checkWritable() throws TargetNotWritableException {
        Path directory = files.directory();
        try {
            Files.createDirectories(files.versions());
            Path probe = Files.createTempFile(directory, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new TargetNotWritableException(directory, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Installs {@code pair} as the current pair; the one it replaces becomes the previous pair. */
    public void install(CertificatePair pair) throws IOException {
        Path version = files.versions().resolve(nextVersion());
        Files.createDirectories(version.getParent());
        Files.createDirectory(version, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwxr-xr-x")));
        AtomicFiles.write(version.resolve(CertificateFiles.KEY), pair.keyPem(), AtomicFiles.OWNER_ONLY);
        afterStep.accept("key written");
        AtomicFiles.write(version.resolve(CertificateFiles.CHAIN), pair.chainPem(), AtomicFiles.PUBLIC);
        afterStep.accept("chain written");
        AtomicFiles.syncDirectory(files.versions());
        Optional<Path> old = currentTarget();
        if (old.isPresent()) {
            AtomicFiles.relink(files.previous(), old.get());
            afterStep.accept("previous linked");
        }
        AtomicFiles.relink(files.current(), files.directory().relativize(version));
        afterStep.accept("current linked");
        prune();
    }

    /** Swaps the current and the previous pair (a second rollback undoes the first). */
    public void rollback() throws IOException, NoSuchCertificateException {
        Optional<Path> current = currentTarget();
        Optional<Path> previous = target(files.previous());
        if (current.isEmpty() || previous.isEmpty() || !Files.exists(files.previous().resolve(CertificateFiles.KEY))) {
            throw new NoSuchCertificateException(files.name() + ": no previous certificate to roll back to");
        }
        AtomicFiles.relink(files.current(), previous.get());
        AtomicFiles.relink(files.previous(), current.get());
    }

    private Optional<Path> currentTarget() throws IOException {
        return target(files.current());
    }

    private static Optional<Path> target(Path link) throws IOException {
        return Files.isSymbolicLink(link) ? Optional.of(Files.readSymbolicLink(link)) : Optional.empty();
    }

    private String nextVersion() throws IOException {
        int highest = 0;
        if (Files.isDirectory(files.versions())) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(files.versions())) {
                for (Path version : versions) {
                    String name = version.getFileName().toString();
                    if (name.matches("\\d+")) {
                        highest = Math.max(highest, Integer.parseInt(name));
                    }
                }
            }
        }
        return String.format(Locale.ROOT, "%04d", highest + 1);
    }

    /** Removes versions that neither link points at (left by earlier renewals or by a process that died). */
    private void prune() throws IOException {
        List<Path> keep = new ArrayList<>();
        for (Path link : List.of(files.current(), files.previous())) {
            if (Files.exists(link)) {
                keep.add(link.toRealPath());
            }
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(files.versions())) {
            for (Path version : versions) {
                if (!keep.contains(version.toRealPath())) {
                    deleteTree(version);
                }
            }
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
