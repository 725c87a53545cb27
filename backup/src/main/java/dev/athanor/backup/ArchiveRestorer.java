package dev.athanor.backup;

import dev.athanor.backup.archive.AgeEncryption;
import dev.athanor.backup.archive.ChecksumMismatchException;
import dev.athanor.backup.archive.VerifyingInputStream;
import dev.athanor.backup.storage.BackupStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Restores an archive into a database, proving it intact before pg_restore sees a byte: a first pass reads the
 * archive and compares its SHA-256 with the manifest (a damaged archive stops here, with the target untouched); the
 * second pass streams it into {@code pg_restore --single-transaction} while checking it again and holding back its
 * last bytes until that check passes, so even an archive changed between the passes is never committed. No
 * temporary file; the archive is read twice.
 */
final class ArchiveRestorer {

    private static final int CHUNK = 256 * 1024;

    private final BackupStorage storage;
    private final PostgresClient client;
    private final Optional<AgeEncryption> encryption;

    ArchiveRestorer(BackupStorage storage, PostgresClient client, Optional<AgeEncryption> encryption) {
        this.storage = storage;
        this.client = client;
        this.encryption = encryption;
    }

    /** Reads the whole archive and compares it with its manifest. */
    void checkIntact(BackupManifest manifest, TransferProgress progress) throws BackupException {
        progress.start("Checking " + manifest.id(), manifest.bytes());
        try (InputStream archive = storage.open(manifest.archive())) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            DigestInputStream hashed = new DigestInputStream(archive, sha256);
            byte[] buffer = new byte[CHUNK];
            long total = 0;
            int read;
            while ((read = hashed.read(buffer)) >= 0) {
                total += read;
                progress.advance(read);
            }
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(manifest.sha256()) || total != manifest.bytes()) {
                throw new ChecksumMismatchException(manifest.archive(), manifest.sha256(), actual, total);
            }
        } catch (IOException e) {
            throw new BackupException("could not read " + manifest.archive() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            progress.done();
        }
    }

    /**
     * Streams the archive into pg_restore, in one transaction.
     *
     * @param clean drop what the archive holds before restoring it (a restore over an existing database)
     */
    void restore(BackupManifest manifest, PostgresTarget target, boolean clean, TransferProgress progress)
            throws BackupException {
        if (manifest.encrypted() && encryption.isEmpty()) {
            throw new BackupException("backup " + manifest.id() + " is encrypted (" + manifest.encryption().scheme()
                    + " to " + manifest.encryption().recipient() + "); set backup.encryption.keyFile to its key file");
        }
        List<String> command = new ArrayList<>(List.of(client.pgRestore().toString(), "--no-password",
                "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                "--dbname=" + target.libpqUri()));
        if (clean) {
            command.addAll(List.of("--clean", "--if-exists"));
        }
        progress.start("Restoring " + manifest.id(), manifest.bytes());
        try (PostgresProgram pgRestore = PostgresProgram.start(command, target);
                InputStream stored = storage.open(manifest.archive())) {
            InputStream verified = new VerifyingInputStream(stored, manifest.archive(), manifest.sha256(),
                    manifest.bytes());
            InputStream counted = new CountingInputStream(verified, progress);
            try (InputStream archive = manifest.encrypted() ? encryption.get().decrypt(counted) : counted) {
                copy(archive, pgRestore);
            } catch (IOException e) {
                pgRestore.kill();
                if (e.getCause() instanceof ChecksumMismatchException mismatch) {
                    throw mismatch;
                }
                if (e instanceof InterruptedIOException) {
                    throw new BackupException("the restore was stopped; the target database was left as it was");
                }
                throw new BackupException("could not read " + manifest.archive() + ": " + e.getMessage()
                        + "; the target database was left as it was", e);
            }
            pgRestore.finish();
        } catch (IOException e) {
            throw new BackupException("could not read " + manifest.archive() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("the restore was interrupted; the target database was left as it was", e);
        } finally {
            progress.done();
        }
    }

    private static void copy(InputStream archive, PostgresProgram pgRestore) throws IOException {
        byte[] buffer = new byte[CHUNK];
        OutputStream stdin = pgRestore.stdin();
        int read;
        while ((read = archive.read(buffer)) >= 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException();
            }
            try {
                stdin.write(buffer, 0, read);
            } catch (IOException brokenPipe) {
                // pg_restore stopped reading: its exit says why (finish() reports it).
                return;
            }
        }
        stdin.close();
    }

    /** Reports bytes read to a progress bar. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final TransferProgress progress;

        CountingInputStream(InputStream in, TransferProgress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = in.read(buffer, offset, length);
            if (read > 0) {
                progress.advance(read);
            }
            return read;
        }
    }
}
