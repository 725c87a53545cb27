package dev.athanor.ops.pitr;

import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.PitrException;
import dev.athanor.backup.pitr.RecoveryTarget;
import dev.athanor.backup.pitr.RecoveryWindow;
import dev.athanor.backup.pitr.RepositoryInfo;
import dev.athanor.backup.pitr.RestoredServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.platform.db.EmbeddedPostgresException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code ops pitr restore}'s work: checks the target against the window, restores the newest base backup before it,
 * replays the log to it, promotes, and stops, leaving a cluster ready to start: in a directory of the operator's, or
 * in place of the embedded cluster (the one before kept beside it, and put back if the restore fails).
 */
final class SiteRestore {

    /** How long replaying the log may take. */
    static final Duration RECOVERY_TIMEOUT = Duration.ofHours(2);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final PitrSite site;
    private final Consumer<String> say;

    SiteRestore(PitrSite site, Consumer<String> say) {
        this.site = site;
        this.say = say;
    }

    /** Where the restore went and where recovery stopped. */
    record Restored(Path dataDirectory, Optional<Instant> lastTransaction, Optional<Path> previous) {
    }

    /** Refuses a target outside the window, naming the window. */
    void checkTarget(RecoveryTarget target, RepositoryInfo info, Optional<RecoveryWindow> window, boolean serverUp)
            throws PitrException {
        if (info.backups().isEmpty()) {
            throw new PitrException("the repository holds no complete backup yet: nothing to restore from",
                    PitrException.REFUSED);
        }
        if (target.time().isEmpty() || window.isEmpty()) {
            return;
        }
        Instant moment = target.time().get();
        RecoveryWindow reach = window.get();
        // the newest restorable moment is known only while the server answers; without it, recovery says so
        if (serverUp ? !reach.contains(moment) : moment.isBefore(reach.oldest())) {
            throw new PitrException(target + " is outside the recovery window: " + reach.oldest() + " to "
                    + reach.newest(), PitrException.REFUSED);
        }
    }

    /** Restores into {@code directory} (absent or empty), with archiving off in the copy. */
    Restored intoDirectory(PgBackRest pgBackRest, RecoveryTarget target, Path directory) throws PitrException {
        Path data = directory.toAbsolutePath().normalize();
        try (Stream<Path> entries = Files.exists(data) ? Files.list(data) : Stream.empty()) {
            if (entries.findAny().isPresent()) {
                throw new PitrException(data + " is not empty: restore into a new or empty directory",
                        PitrException.REFUSED);
            }
        } catch (IOException e) {
            throw new PitrException("could not read " + data + ": " + e.getMessage(), PitrException.REFUSED, e);
        }
        Cluster cluster = pgBackRest.cluster();
        SetupFiles files = new SetupFiles(cluster);
        files.directories(data, List.of());
        Path sockets = temporarySockets(files);
        try {
            say.accept("Restoring into " + data);
            pgBackRest.restore(data, target, false);
            Cluster copy = cluster.elsewhere("the restored cluster in " + data, data, sockets, freePort());
            say.accept("Replaying the log to " + target);
            try (RestoredServer server = RestoredServer.recover(copy, RECOVERY_TIMEOUT)) {
                return new Restored(data, server.lastTransaction(), Optional.empty());
            }
        } finally {
            deleteQuietly(sockets);
        }
    }

    /** Restores in place of the embedded cluster, which is stopped; the one before is kept beside it. */
    Restored intoEmbedded(PgBackRest pgBackRest, RecoveryTarget target) throws PitrException {
        EmbeddedPostgres embedded = site.embedded();
        Cluster cluster = pgBackRest.cluster();
        Path data = cluster.dataDirectory();
        Path previous = data.resolveSibling(data.getFileName() + ".before-restore-" + STAMP.format(Instant.now()));
        SetupFiles files = new SetupFiles(cluster);
        try {
            say.accept("Stopping " + cluster.description());
            embedded.stop();
            if (Files.exists(data)) {
                Files.move(data, previous);
            }
        } catch (EmbeddedPostgresException | IOException e) {
            throw new PitrException("could not set the embedded cluster aside: " + e.getMessage(),
                    PitrException.FAILED, e);
        }
        try {
            files.directories(data, List.of());
            say.accept("Restoring into " + data + " (the cluster before is kept in " + previous + ")");
            pgBackRest.restore(data, target, true);
            say.accept("Replaying the log to " + target);
            try (RestoredServer server = RestoredServer.recover(cluster, RECOVERY_TIMEOUT)) {
                return new Restored(data, server.lastTransaction(), Optional.of(previous).filter(Files::exists));
            }
        } catch (PitrException | RuntimeException e) {
            putBack(data, previous);
            throw e;
        }
    }

    private void putBack(Path data, Path previous) {
        if (!Files.exists(previous)) {
            return; // there was nothing to put back
        }
        try {
            deleteQuietly(data);
            Files.move(previous, data);
            say.accept("The restore failed; the cluster before it is back in " + data);
        } catch (IOException e) {
            say.accept("The restore failed and the cluster before it could not be put back: it is in " + previous);
        }
    }

    private static Path temporarySockets(SetupFiles files) throws PitrException {
        try {
            Path sockets = Files.createTempDirectory("athanor-pitr-");
            files.directories(sockets, List.of());
            return sockets;
        } catch (IOException e) {
            throw new PitrException("could not make a socket directory: " + e.getMessage(), PitrException.FAILED, e);
        }
    }

    static int freePort() throws PitrException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PitrException("could not find a free port: " + e.getMessage(), PitrException.FAILED, e);
        }
    }

    /**
     * Stops a server a killed run left in {@code dataDirectory} (its postmaster.pid names a live postgres process),
     * so that the directory can go: nothing in a scratch copy is worth a clean shutdown.
     */
    static void stopLeftover(Path dataDirectory) {
        try {
            Path pidFile = dataDirectory.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).filter(process -> process.info().command().orElse("").endsWith("postgres"))
                    .ifPresent(process -> {
                        process.destroyForcibly();
                        process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null)
                                .join();
                    });
        } catch (IOException | RuntimeException e) {
            // no readable pid file: nothing to stop
        }
    }

    static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // what is left is in a temporary directory or named in the message
        }
    }
}
