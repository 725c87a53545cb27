package dev.athanor.monitoring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Files replaced whole or not at all: written under a temporary name in the same directory, flushed to disk, then
 * renamed over the old one, and the directory flushed too. A reader, or a process that dies half-way, sees the old
 * content or the new, never a mix or a truncated file.
 */
public final class AtomicFiles {

    /** Readable and writable by the owner only: private keys, state with secrets in it. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Readable by everyone, written by the owner: certificates, state. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content}, created with {@code permissions} before a byte is written. */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(permissions));
            // createFile honours the umask; set the mode explicitly so that 0600 really is 0600
            Files.setPosixFilePermissions(temporary, permissions);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            move(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(directory);
    }

    /**
     * Points the symbolic link {@code link} at {@code target} in one step: a new link is made under a temporary name
     * and renamed over the old one, so the link always points at the old target or at the new.
     */
    public static void relink(Path link, Path target) throws IOException {
        Path directory = link.toAbsolutePath().getParent();
        Path temporary = directory.resolve("." + link.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createSymbolicLink(temporary, target);
            move(temporary, link);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("could not link " + link + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(directory);
    }

    /** Flushes a directory's entries (new names, renames) to disk. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename itself is still atomic there.
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + to + " atomically: " + e.getMessage(), e);
        }
    }
}
