package dev.athanor.backup;

import dev.athanor.backup.archive.AgeEncryption;
import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.StorageException;
import dev.athanor.backup.storage.StorageUpload;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one backup: pg_dump's custom-format output streams through a SHA-256 (and age encryption, when configured)
 * straight into the storage's upload, with no temporary file. pg_dump dumps a snapshot exported by a transaction of
 * ours, in which the tables are counted meanwhile, so the manifest's row counts are exactly what the archive holds.
 * The manifest is written last, once pg_dump exited 0 without errors and the upload completed; on any failure the
 * upload is aborted, pg_dump is stopped, and only a failure record is left.
 */
final class DumpWriter {

    private static final Logger LOGGER = LoggerFactory.getLogger(DumpWriter.class);
    private static final int CHUNK = 256 * 1024;
    private static final int BATCH = 32 * 1024;

    private final BackupStorage storage;
    private final Optional<AgeEncryption> encryption;
    private final Clock clock;

    DumpWriter(BackupStorage storage, Optional<AgeEncryption> encryption, Clock clock) {
        this.storage = storage;
        this.encryption = encryption;
        this.clock = clock;
    }

    /** How {@link #write} starts its dump (inside, so that a failure to start is handled as any other). */
    @FunctionalInterface
    interface DumpStart {
        StartedDump start() throws BackupException, SQLException;
    }

    /**
     * Dumps into the storage as {@code id}'s archive and describes it; the manifest is not stored. The dump is
     * closed, whatever happens.
     *
     * @param dumping run once pg_dump has started, for work that should not compete with its start
     */
    BackupManifest write(BackupId id, DumpStart start, List<String> warnings, TransferProgress progress,
            BooleanSupplier cancelled, Runnable dumping) throws BackupException {
        String archive = id.archive(encryption.isPresent());
        StorageUpload upload = null;
        StartedDump dump = null;
        PostgresProgram pgDump = null;
        try {
            dump = start.start();
            PostgresTarget source = dump.source();
            pgDump = dump.pgDump();
            Thread stopper = stopWhenCancelled(pgDump, cancelled);
            dumping.run();

            upload = storage.upload(archive);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            OutputStream hashed = new DigestOutputStream(new KeepOpen(upload), sha256);
            progress.start("Backing up " + source.database(), -1);
            try (OutputStream sink = encryption.isPresent() ? encryption.get().encrypt(hashed) : hashed;
                    InputStream output = dump.takeOver()) {
                byte[] buffer = new byte[CHUNK];
                int read;
                while ((read = output.read(buffer)) >= 0) {
                    if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("the backup was stopped before it finished");
                    }
                    sink.write(buffer, 0, read);
                    progress.advance(read);
                    if (read < BATCH) {
                        // pg_dump writes in pieces of a few KiB: reading each as it comes wakes both processes tens
                        // of thousands of times. A millisecond lets a batch gather in the pipe (64 KiB) first; a
                        // dump fast enough to fill it meanwhile is read in full pieces, without pauses.
                        pause();
                    }
                }
                if (cancelled.getAsBoolean()) {
                    throw new InterruptedIOException("the backup was stopped before it finished");
                }
            }
            warnings.addAll(pgDump.finish());
            stopper.interrupt();
            Map<String, Long> tables = dump.counts();
            dump.endSnapshot();
            long bytes = upload.complete();
            progress.done();

            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, id.toString(), id.kind(),
                    source.database(), source.server(), dump.serverVersion(), dump.client().version().toString(),
                    id.startedAt(), clock.instant(), archive, bytes, HexFormat.of().formatHex(sha256.digest()),
                    encryption.map(age -> new BackupManifest.Encryption(AgeEncryption.SCHEME, age.recipient()))
                            .orElse(null),
                    tables, List.copyOf(warnings));
            return manifest;
        } catch (BackupException | IOException | SQLException | RuntimeException | InterruptedException
                | NoSuchAlgorithmException e) {
            // Cleaning up must not be cut short by the interrupt that stopped us (NIO and the SDK give up when
            // interrupted); the interrupt is restored afterwards.
            boolean interrupted = Thread.interrupted() || e instanceof InterruptedException;
            try {
                String reason = cancelled.getAsBoolean() ? "the backup was stopped before it finished"
                        : reasonOf(e, pgDump);
                if (dump != null) {
                    // pg_dump stopped and the counts cancelled first: aborting the upload may take retries
                    dump.close();
                }
                if (upload != null) {
                    upload.abort();
                }
                progress.done();
                throw new BackupFailedException(id.toString(), reason, e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            if (dump != null) {
                dump.close();
            }
        }
    }

    /** Stores the manifest, which makes the backup exist; if even that fails, the archive is removed again. */
    void commit(BackupManifest manifest, BackupId id) throws BackupException {
        try {
            storage.put(id.manifest(), BackupJson.write(manifest));
        } catch (StorageException e) {
            try {
                storage.delete(manifest.archive());
            } catch (StorageException again) {
                LOGGER.warn("Could not remove {} after its manifest failed: {}", manifest.archive(),
                        again.getMessage());
            }
            throw new BackupFailedException(id.toString(), "could not write its manifest: " + e.getMessage(), e);
        }
    }

    /** Records a failed attempt, when the storage lets us; a storage that is down is reported by the caller. */
    void recordFailure(BackupId id, String reason) {
        try {
            storage.put(id.failure(), BackupJson.write(new BackupFailure(id.toString(), id.kind(), id.startedAt(),
                    clock.instant(), reason)));
        } catch (StorageException | RuntimeException e) {
            LOGGER.warn("Could not record the failed backup {}: {}", id, e.getMessage());
        }
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the backup was stopped before it finished");
        }
    }

    /** A blocked read of pg_dump's output does not notice an interrupt: stopping pg_dump ends it. */
    private static Thread stopWhenCancelled(PostgresProgram pgDump, BooleanSupplier cancelled) {
        Thread stopper = new Thread(() -> {
            try {
                while (!pgDump.exited()) {
                    if (cancelled.getAsBoolean()) {
                        pgDump.kill();
                        return;
                    }
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                // The dump ended.
            }
        }, "backup-stopper");
        stopper.setDaemon(true);
        stopper.start();
        return stopper;
    }

    private static String reasonOf(Exception e, PostgresProgram pgDump) {
        // When the upload or our reading broke because pg_dump died, pg_dump's own words say more.
        if (pgDump != null && !(e instanceof DumpFailedException) && pgDump.exited()) {
            try {
                pgDump.finish();
            } catch (DumpFailedException dumpFailure) {
                return dumpFailure.getMessage();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> messages = new ArrayList<>();
        for (Throwable cause = e; cause != null && messages.size() < 3; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (messages.stream().noneMatch(known -> known.contains(message))) {
                messages.add(message);
            }
        }
        return String.join(": ", messages);
    }

    /** Lets the encryption close its stream (writing the final chunk) without ending the upload. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
