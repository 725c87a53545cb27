package dev.athanor.media;

import dev.athanor.platform.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/** Media on the server's own disk, under one directory ({@code media.directory}). */
final class LocalMediaStore implements MediaStore {

    private final Path root;

    LocalMediaStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public StoredFile store(Path source, String folder, String contentType) throws IOException {
        Path directory = Files.createDirectories(root.resolve(folder));
        Path temporary = Files.createTempFile(directory, ".incoming-", ".tmp");
        try {
            MessageDigest digest = Sha256.digest();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
                    OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.WRITE)) {
                size = in.transferTo(out);
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            // createTempFile makes it 0600; nginx (in the site's group) sends it after an X-Accel-Redirect
            Files.setPosixFilePermissions(temporary, java.nio.file.attribute.PosixFilePermissions.fromString(
                    "rw-r-----"));
            String sha256 = HexFormat.of().formatHex(digest.digest());
            String key = folder + "/" + sha256 + extension(source);
            Path target = root.resolve(key);
            if (Files.exists(target)) {
                Files.delete(temporary);
            } else {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return new StoredFile(key, size, sha256, contentType);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path file = root.resolve(key).normalize();
        return file.startsWith(root) && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public Optional<URI> temporaryUrl(String key, Duration lifetime) {
        return Optional.empty();
    }

    @Override
    public boolean contains(String key) {
        return localFile(key).isPresent();
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).toLowerCase(java.util.Locale.ROOT);
    }
}
