package dev.athanor.ops;

import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.cli.StartupProblem;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgresException;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, shared by every command that reads the site's configuration. Without it: the file named by
 * {@code ATHANOR_CONFIG}, else {@code /etc/athanor/config.yml} when it exists, else {@code ./config.yml}. The file is
 * read exactly as the site reads it, environment substitution and validation included.
 */
final class ConfigOption {

    static final Path SERVER_CONFIG = Path.of("/etc/athanor/config.yml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The site's config.yml (default: $ATHANOR_CONFIG, /etc/athanor/config.yml, ./config.yml)")
    private Path file;

    /** The option as if {@code --config FILE} had been given. */
    static ConfigOption of(Path file) {
        ConfigOption option = new ConfigOption();
        option.file = file;
        return option;
    }

    /** The file this command reads. */
    Path file() {
        if (file != null) {
            return file;
        }
        String fromEnvironment = System.getenv("ATHANOR_CONFIG");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return Files.exists(SERVER_CONFIG) ? SERVER_CONFIG : Path.of("config.yml");
    }

    /**
     * Reaches the configured database, starting the embedded default if the site is not running it; close the result
     * when done.
     */
    DatabaseServer openDatabase() throws ConfigFileException, EmbeddedPostgresException {
        return load().getDatabase().start();
    }

    /** Reads and validates the configuration. */
    AthanorConfiguration load() throws ConfigFileException {
        Path path = file();
        if (!Files.isRegularFile(path)) {
            throw new ConfigFileException(path + ": no such configuration file (use --config FILE)");
        }
        YamlConfigurationFactory<AthanorConfiguration> factory = new YamlConfigurationFactory<>(
                AthanorConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        try {
            return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                    new EnvironmentVariableSubstitutor(true)), path.toString());
        } catch (ConfigurationException e) {
            throw new ConfigFileException(StartupProblem.describe(e, path.toString()));
        } catch (IOException | RuntimeException e) {
            throw new ConfigFileException(path + ": " + e.getMessage());
        }
    }
}
