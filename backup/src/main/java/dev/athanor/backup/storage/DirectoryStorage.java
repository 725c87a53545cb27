package dev.athanor.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Backups in a local directory: the embedded default's {@code ./data/backups}, and tests. An upload is written to
 * {@code NAME.partial}, synced, and renamed into place, so a listed object is always whole; a crash leaves only a
 * {@code .partial} file, which listings ignore and {@link #unfinished()} finds. A write the file system refuses (a full
 * disk) fails with an {@link IOException} caused by a {@link StorageException}, as every other storage failure is one.
 */
public final class DirectoryStorage implements BackupStorage {

    static final String PARTIAL = ".partial";

    private final Path directory;

    public DirectoryStorage(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public StorageUpload upload(String name) throws StorageException {
        Path target = resolve(name);
        Path partial = target.resolveSibling(target.getFileName() + PARTIAL);
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            return new FileUpload(channel, partial, target);
        } catch (IOException e) {
            throw new StorageException("could not write " + partial + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String name, byte[] content) throws StorageException {
        try (StorageUpload upload = upload(name)) {
            upload.write(content);
            upload.complete();
        } catch (IOException e) {
            throw new StorageException("could not write " + resolve(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String name) throws StorageException {
        try {
            return Optional.of(Files.readAllBytes(resolve(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("could not read " + resolve(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String name) throws StorageException {
        try {
            return Files.newInputStream(resolve(name));
        } catch (NoSuchFileException e) {
            throw new StorageException(resolve(name) + ": no such backup file", e);
        } catch (IOException e) {
            throw new StorageException("could not read " + resolve(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> list() throws StorageException {
        if (!Files.isDirectory(directory)) {
            if (Files.exists(directory)) {
                throw new StorageException(directory + " is not a directory");
            }
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<StoredObject> objects = new ArrayList<>();
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.endsWith(PARTIAL)) {
                    objects.add(new StoredObject(name, Files.size(file), Files.getLastModifiedTime(file).toInstant()));
                }
            }
            return objects;
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("could not list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<UnfinishedUpload> unfinished() throws StorageException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<UnfinishedUpload> uploads = new ArrayList<>();
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(PARTIAL) && name.length() > PARTIAL.length() && Files.isRegularFile(file)) {
                    try {
                        uploads.add(new UnfinishedUpload(name.substring(0, name.length() - PARTIAL.length()),
                                Files.size(file), Files.getLastModifiedTime(file).toInstant(), ""));
                    } catch (NoSuchFileException e) {
                        // completed or aborted meanwhile
                    }
                }
            }
            return uploads;
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("could not list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void discard(UnfinishedUpload upload) throws StorageException {
        Path partial = resolve(upload.name() + PARTIAL);
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new StorageException("could not delete " + partial + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkAccess() throws StorageException {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new StorageException(directory + " cannot be created: " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new StorageException((existing.equals(directory) ? directory + " is not writable"
                    : directory + " cannot be created: " + existing + " is not writable") + " for this user");
        }
    }

    @Override
    public void delete(String name) throws StorageException {
        try {
            Files.deleteIfExists(resolve(name));
        } catch (IOException e) {
            throw new StorageException("could not delete " + resolve(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    @Override
    public void close() {
        // Nothing held open.
    }

    private Path resolve(String name) {
        Path path = directory.resolve(name).normalize();
        if (!path.getParent().equals(directory)) {
            throw new IllegalArgumentException("not a plain object name: " + name);
        }
        return path;
    }

    private static final class FileUpload extends StorageUpload {

        private final FileChannel channel;
        private final Path partial;
        private final Path target;
        private long written;
        private boolean done;

        FileUpload(FileChannel channel, Path partial, Path target) {
            this.channel = channel;
            this.partial = partial;
            this.target = target;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (done) {
                throw new IOException("upload of " + target + " already ended");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (java.nio.channels.AsynchronousCloseException e) {
                throw e; // interrupted: the backup is being stopped
            } catch (IOException e) {
                // The storage refused the bytes (a full disk, an I/O error): a storage failure, not the dump's.
                String message = "could not write " + partial + ": " + e.getMessage();
                throw new IOException(message, new StorageException(message, e));
            }
            written += length;
        }

        @Override
        public long complete() throws StorageException {
            try {
                channel.force(true);
                channel.close();
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                done = true;
                long size = Files.size(target);
                if (size != written) {
                    throw new StorageException(target + " holds " + size + " bytes, " + written + " were written");
                }
                return size;
            } catch (IOException e) {
                abort();
                throw new StorageException("could not complete " + target + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void abort() {
            done = true;
            try {
                channel.close();
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // A leftover .partial file is ignored by listings and overwritten by the next upload.
            }
        }

        @Override
        public long written() {
            return written;
        }

        @Override
        public void close() {
            if (!done) {
                abort();
            }
        }
    }
}
