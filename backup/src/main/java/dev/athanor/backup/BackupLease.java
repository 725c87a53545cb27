package dev.athanor.backup;

import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.StorageException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is writing a backup now: {@code ID.running.json}, stored when a backup starts, renewed every minute while it
 * runs and deleted when it ends. It is how {@link UnfinishedBackups} tells a backup being written (which must never
 * be touched) from what a stopped process left. On the machine that wrote it, the owner is alive while its process
 * (same id, same start time, same boot) runs, so a killed run is seen at once; from another machine (a second
 * scheduler node sharing the bucket), while the lease was renewed within {@link #STALE_AFTER}.
 *
 * @param host the writer's host name
 * @param boot the kernel's boot id when the lease was taken (empty where there is none): a restarted machine has
 *     another, so its old leases are over
 * @param pid the writing process
 * @param processStarted when that process started (a later process with the same id is not the owner)
 * @param renewedAt when the lease was last written
 */
public record BackupLease(String id, String host, String boot, long pid, Instant processStarted, Instant renewedAt) {

    /** Object names of leases end so: {@code ID.running.json}. */
    public static final String SUFFIX = ".running.json";
    /** How often a running backup renews its lease. */
    static final Duration RENEW_EVERY = Duration.ofMinutes(1);
    /** A lease of another machine not renewed for this long is over. */
    static final Duration STALE_AFTER = Duration.ofMinutes(5);
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);
    private static final Logger LOGGER = LoggerFactory.getLogger(BackupLease.class);

    /** The object name of {@code id}'s lease. */
    static String name(BackupId id) {
        return id + SUFFIX;
    }

    /** A lease of {@code id} held by this process. */
    static BackupLease ofThisProcess(BackupId id, Instant now) {
        ProcessHandle self = ProcessHandle.current();
        return new BackupLease(id.toString(), hostName(), bootId().orElse(""), self.pid(),
                self.info().startInstant().orElse(Instant.EPOCH), now);
    }

    /** Whether the process that holds this lease may still be writing. */
    boolean ownerAlive(Instant now) {
        boolean fresh = renewedAt.plus(STALE_AFTER).isAfter(now);
        if (!host.equals(hostName())) {
            return fresh;
        }
        Optional<String> currentBoot = bootId();
        if (!boot.isEmpty() && currentBoot.isPresent() && !boot.equals(currentBoot.get())) {
            return false; // the machine restarted since
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        if (started.isEmpty() || processStarted.equals(Instant.EPOCH)) {
            return fresh; // cannot tell the owner from a later process with its id
        }
        return Duration.between(started.get(), processStarted).abs().compareTo(START_TOLERANCE) <= 0;
    }

    /** Who held it, for people: {@code pid 1234 on host}. */
    String describeOwner() {
        return "pid " + pid + " on " + host;
    }

    /**
     * Stores a lease of {@code id} for this process, on a thread of its own (the caller is not held up), and keeps
     * renewing it until closed; closing deletes it. A lease that could not be stored is logged, not fatal: a backup
     * that cannot write a small object fails on its own.
     */
    static Held take(BackupStorage storage, BackupId id, Clock clock) {
        Held held = new Held(storage, id, clock);
        held.timer.scheduleWithFixedDelay(held::renew, 0, RENEW_EVERY.toSeconds(), TimeUnit.SECONDS);
        return held;
    }

    /** A lease this process holds. */
    static final class Held implements AutoCloseable {
        private final BackupStorage storage;
        private final BackupId id;
        private final Clock clock;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "backup-lease");
            thread.setDaemon(true);
            return thread;
        });

        private Held(BackupStorage storage, BackupId id, Clock clock) {
            this.storage = storage;
            this.id = id;
            this.clock = clock;
        }

        private synchronized void renew() {
            if (timer.isShutdown()) {
                return;
            }
            try {
                storage.put(name(id), BackupJson.write(ofThisProcess(id, clock.instant())));
            } catch (StorageException | RuntimeException e) {
                LOGGER.warn("Could not store the lease of backup {}: {}", id, e.getMessage());
            }
        }

        /** Stops renewing and deletes the lease. */
        @Override
        public synchronized void close() {
            timer.shutdownNow();
            try {
                storage.delete(name(id));
            } catch (StorageException | RuntimeException e) {
                LOGGER.warn("Could not delete the lease of backup {}: {}", id, e.getMessage());
            }
        }
    }

    private static String hostName() {
        return Host.NAME;
    }

    /** Looked up once: a name lookup may take a while on a badly configured machine. */
    private static final class Host {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
            }
        }
    }

    private static Optional<String> bootId() {
        try {
            return Optional.of(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
