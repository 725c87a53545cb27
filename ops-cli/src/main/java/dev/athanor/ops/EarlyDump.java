package dev.athanor.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.Background;
import dev.athanor.backup.PostgresClient;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.StartedDump;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.DatabaseFactory;
import dev.athanor.platform.db.DatabaseServer;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pg_dump started for {@code ops backup run} from the configuration's {@code database} keys and
 * {@code backup.clientBinDirectory} alone, on a thread of its own beside the reading and validating of the whole
 * configuration (about half a second, most of it the validator's start-up); its output is read ahead into memory
 * meanwhile. The backup takes it over only if the configuration, read in full, names the same database and the same
 * pg_dump directory. Otherwise the backup starts the ordinary way: with an embedded database, with {@code dw.}
 * overrides (which may name another database), with a file the quick reading does not understand (the ordinary
 * reading reports what is wrong with it), or when the database has not answered within a few seconds. Nothing is
 * stored before the configuration has passed, and a dump not taken over is stopped.
 */
public final class EarlyDump implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(EarlyDump.class);

    /** What pg_dump may write before the backup reads it (about half a second of the bench's 1 GiB dump). */
    static final int READ_AHEAD = 8 * 1024 * 1024;

    /** Seconds the early start gives the database to connect and log in, and to give each answer; then it gives up. */
    private static final int TIMEOUT = 3;

    /** How long the backup waits for a start under way (its connection and each answer take {@link #TIMEOUT} at most). */
    private static final long WAIT = 4L * TIMEOUT;

    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final AtomicInteger TAKEN = new AtomicInteger();

    private final CompletableFuture<Optional<Started>> starting;
    private boolean asked;
    private Optional<Started> outcome;

    private record Started(StartedDump dump, Optional<Path> clientBinDirectory) {
    }

    private EarlyDump(CompletableFuture<Optional<Started>> starting) {
        this.starting = starting;
    }

    /** Starts the dump the file {@code config} names, reading {@link #READ_AHEAD} of its output ahead. */
    public static EarlyDump start(ConfigOption config) {
        return start(config, READ_AHEAD);
    }

    static EarlyDump start(ConfigOption config, int readAhead) {
        Path file = config.file();
        if (!Files.isRegularFile(file)
                || System.getProperties().stringPropertyNames().stream().anyMatch(name -> name.startsWith("dw."))) {
            return new EarlyDump(CompletableFuture.completedFuture(Optional.empty()));
        }
        return new EarlyDump(Background.supply("backup-early-dump", () -> begin(file, readAhead)));
    }

    /**
     * The dump, if {@code configuration} (read in full) names the same database and pg_dump directory as the quick
     * reading did, for {@code database} as the backup session reaches it; otherwise empty, and the dump is stopped
     * (when its start ends, if it has not yet). Once.
     */
    public Optional<StartedDump> matching(AthanorConfiguration configuration, PostgresTarget database) {
        if (asked) {
            throw new IllegalStateException("the early dump was asked for already");
        }
        asked = true;
        Optional<Started> started = await();
        if (started.isEmpty()) {
            return Optional.empty();
        }
        if (started.get().dump().source().equals(database)
                && started.get().clientBinDirectory().equals(configuration.getBackup().getClientBinDirectory())) {
            TAKEN.incrementAndGet();
            return Optional.of(started.get().dump());
        }
        LOGGER.debug("The configuration read in full names another database or pg_dump; dumping again");
        started.get().dump().close();
        return Optional.empty();
    }

    /**
     * Stops the dump (again, if a backup took it over and closed it). A start still under way is waited for, within
     * bounds, and stopped when it ends if that takes longer.
     */
    @Override
    public void close() {
        await().ifPresent(started -> started.dump().close());
    }

    /** How many early dumps were started, and how many of them backups took over, in this process (for tests). */
    static int started() {
        return STARTED.get();
    }

    static int taken() {
        return TAKEN.get();
    }

    /** The start's outcome; empty, with the dump stopped whenever it starts, if it is not there within bounds. */
    private Optional<Started> await() {
        if (outcome == null) {
            outcome = awaitStart();
        }
        return outcome;
    }

    private Optional<Started> awaitStart() {
        try {
            return starting.get(WAIT, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (TimeoutException e) {
            LOGGER.debug("The early dump is still starting; dumping without it");
        }
        starting.thenAccept(late -> late.ifPresent(started -> started.dump().close()));
        return Optional.empty();
    }

    private static Optional<Started> begin(Path file, int readAhead) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(
                    new EnvironmentVariableSubstitutor(true).replace(Files.readString(file)));
            JsonNode database = root.path("database");
            DatabaseFactory factory = new DatabaseFactory();
            text(database, "url").ifPresent(factory::setUrl);
            factory.setUser(text(database, "user").orElse(null));
            factory.setPassword(text(database, "password").orElse(null));
            if (factory.isEmbedded()) {
                return Optional.empty();
            }
            Optional<Path> clientBinDirectory = text(root.path("backup"), "clientBinDirectory")
                    .filter(directory -> !directory.isBlank()).map(directory -> Path.of(directory.strip()));
            PostgresTarget target;
            try (DatabaseServer server = factory.start()) {
                target = new PostgresTarget(server.jdbcUrl(), server.user(), server.password());
            }
            StartedDump dump = StartedDump.startWithin(PostgresClient.locate(clientBinDirectory), target,
                    Instant.now(), TIMEOUT);
            try {
                dump.readAhead(readAhead);
            } catch (RuntimeException | Error e) {
                dump.close();
                throw e;
            }
            STARTED.incrementAndGet();
            return Optional.of(new Started(dump, clientBinDirectory));
        } catch (Exception e) {
            // the ordinary start meets the same problem and reports it; messages may quote the file's values
            LOGGER.debug("No early start for the dump ({})", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode section, String key) {
        JsonNode value = section.path(key);
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }
}
