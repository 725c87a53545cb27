package dev.athanor.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.PostgresClient;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.StartedDump;
import dev.athanor.platform.db.DatabaseFactory;
import dev.athanor.platform.db.DatabaseServer;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pg_dump started for {@code ops backup run} from the configuration's {@code database} and
 * {@code backup.clientBinDirectory} keys alone, while the whole configuration is read and validated (about half a
 * second, most of it the validator's start-up). Its output is read ahead into memory meanwhile. It is used only if the
 * configuration, once read in full, names the same database and the same pg_dump; anything else (an embedded
 * database, a file the quick reading does not understand, a database that cannot be reached, a {@code dw.} override
 * that changes the database) leaves the backup to start the ordinary way, which reports what is wrong. Nothing is
 * stored before the configuration has passed, and an unused dump is stopped.
 */
final class EarlyDump implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(EarlyDump.class);

    /** What pg_dump may write before anyone reads it: about half a second of a dump's output. */
    static final int READ_AHEAD = 8 * 1024 * 1024;

    private final StartedDump dump;
    private final Optional<Path> clientBinDirectory;

    private EarlyDump(StartedDump dump, Optional<Path> clientBinDirectory) {
        this.dump = dump;
        this.clientBinDirectory = clientBinDirectory;
    }

    /** Starts the dump the file {@code config} names, if it can be read quickly and names a database server. */
    static Optional<EarlyDump> start(ConfigOption config) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(
                    new EnvironmentVariableSubstitutor(true).replace(Files.readString(config.file())));
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
            DatabaseServer server = factory.start();
            PostgresTarget target = new PostgresTarget(server.jdbcUrl(), server.user(), server.password());
            StartedDump dump = StartedDump.start(PostgresClient.locate(clientBinDirectory), target, Instant.now());
            dump.readAhead(READ_AHEAD);
            return Optional.of(new EarlyDump(dump, clientBinDirectory));
        } catch (Exception e) {
            LOGGER.debug("No early start for the dump: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The dump, if {@code configuration} (read in full) names the same database and pg_dump directory as the quick
     * reading did, for {@code database} as the backup session reaches it; otherwise empty, and the dump is stopped.
     */
    Optional<StartedDump> matching(AthanorConfiguration configuration, PostgresTarget database) {
        if (dump.source().equals(database)
                && clientBinDirectory.equals(configuration.getBackup().getClientBinDirectory())) {
            return Optional.of(dump);
        }
        LOGGER.debug("The configuration read in full names another database or pg_dump; dumping again");
        dump.close();
        return Optional.empty();
    }

    /** Stops the dump unless the backup took it (which closes it itself). */
    @Override
    public void close() {
        dump.close();
    }

    private static Optional<String> text(JsonNode section, String key) {
        JsonNode value = section.path(key);
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }
}
