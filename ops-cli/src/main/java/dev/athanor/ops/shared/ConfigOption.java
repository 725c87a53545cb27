package dev.athanor.ops.shared;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.guava.GuavaModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.Background;
import dev.athanor.platform.cli.StartupProblem;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgresException;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.AnnotationSensitivePropertyNamingStrategy;
import io.dropwizard.jackson.CaffeineModule;
import io.dropwizard.jackson.DiscoverableSubtypeResolver;
import io.dropwizard.jackson.FuzzyEnumModule;
import io.dropwizard.jackson.GuavaExtrasModule;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --config FILE}, shared by every command that reads the site's configuration, and taken by {@code ops} itself
 * too, so that it may come before the command ({@code ops --config FILE members grant ...}) or after it; given twice,
 * the one nearer the command wins. Without it: the file named by {@code ATHANOR_CONFIG}, else
 * {@code /etc/athanor/config.yml} when it exists, else {@code ./config.yml}. The file is read exactly as the site reads
 * it, environment substitution and validation included.
 */
public final class ConfigOption {

    static final Path SERVER_CONFIG = Path.of("/etc/athanor/config.yml");

    /** A validator and a mapper made ahead by {@link #prepareInBackground()}, taken by the first {@link #load()}. */
    private static final AtomicReference<Prepared> PREPARED = new AtomicReference<>();

    private record Prepared(CompletableFuture<Validator> validator, CompletableFuture<ObjectMapper> mapper) {
    }

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The site's config.yml (default: $ATHANOR_CONFIG, /etc/athanor/config.yml, ./config.yml)")
    private Path file;

    /** The command this option belongs to, to find a {@code --config} given before it; null outside picocli. */
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** The option as if {@code --config FILE} had been given. */
    public static ConfigOption of(Path file) {
        ConfigOption option = new ConfigOption();
        option.file = file;
        return option;
    }

    /** The file this command reads. */
    public Path file() {
        if (file != null) {
            return file;
        }
        Path given = givenBefore();
        if (given != null) {
            return given;
        }
        String fromEnvironment = System.getenv("ATHANOR_CONFIG");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return Files.exists(SERVER_CONFIG) ? SERVER_CONFIG : Path.of("config.yml");
    }

    /** The {@code --config} given to a command above this one (to {@code ops} itself), the nearest; else null. */
    private Path givenBefore() {
        for (CommandSpec above = command == null ? null : command.parent(); above != null; above = above.parent()) {
            for (CommandSpec mixin : above.mixins().values()) {
                if (mixin.userObject() instanceof ConfigOption option && option.file != null) {
                    return option.file;
                }
            }
        }
        return null;
    }

    /**
     * Reaches the configured database, starting the embedded default if the site is not running it; close the result
     * when done.
     */
    public DatabaseServer openDatabase() throws ConfigFileException, EmbeddedPostgresException {
        return load().getDatabase().start();
    }

    /**
     * Starts making what reading the configuration needs, on threads of their own beside picocli's start-up:
     * Jackson's deserializers and Hibernate Validator's metadata for the whole configuration (with the logging),
     * and the database driver: about a second of class loading on a small server, half of it saved with two cores.
     * {@code ops} calls it first thing; a failure here is left for {@link #load()} to meet and report.
     */
    public static void prepareInBackground() {
        PREPARED.set(new Prepared(Background.supply("config-validator", () -> {
            // Hibernate Validator logs as it starts: logging is set up first, here, or SLF4J would hold those
            // calls back and replay them with a warning on standard error.
            LoggerFactory.getILoggerFactory();
            Validator validator = Validators.newValidator();
            validator.validate(new AthanorConfiguration());
            return validator;
        }), Background.supply("config-mapper", () -> {
            ObjectMapper mapper = mapper();
            mapper.readerFor(AthanorConfiguration.class);
            // the factory walks the configuration's serializers once, for its dw.* overrides; they stay cached
            new YamlConfigurationFactory<>(AthanorConfiguration.class, null, mapper, "dw");
            return mapper;
        })));
        Background.supply("jdbc-driver", () -> Class.forName("org.postgresql.Driver"));
    }

    private static <T> T preparedOr(CompletableFuture<T> prepared, Supplier<T> otherwise) {
        try {
            return prepared.join();
        } catch (CompletionException e) {
            return otherwise.get();
        }
    }

    /**
     * Dropwizard's mapper ({@link Jackson#newObjectMapper()}) without its Blackbird module, which reads the same
     * configuration the same way. Blackbird speeds up a mapper used many times by generating an accessor per
     * property; ops reads its configuration once, and generating the several hundred accessors of the whole
     * configuration took a few tenths of a second at every start.
     */
    static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new GuavaModule());
        mapper.registerModule(new GuavaExtrasModule());
        mapper.registerModule(new CaffeineModule());
        mapper.registerModule(new FuzzyEnumModule());
        mapper.registerModule(new ParameterNamesModule());
        mapper.registerModule(new Jdk8Module());
        mapper.registerModule(new JavaTimeModule());
        mapper.setPropertyNamingStrategy(new AnnotationSensitivePropertyNamingStrategy());
        mapper.setSubtypeResolver(new DiscoverableSubtypeResolver());
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }

    /** Reads and validates the configuration. */
    public AthanorConfiguration load() throws ConfigFileException {
        Path path = file();
        if (!Files.isRegularFile(path)) {
            throw new ConfigFileException(path + ": no such configuration file (use --config FILE)");
        }
        Prepared prepared = PREPARED.getAndSet(null);
        Validator validator = prepared == null ? Validators.newValidator()
                : preparedOr(prepared.validator(), Validators::newValidator);
        ObjectMapper mapper = prepared == null ? mapper()
                : preparedOr(prepared.mapper(), ConfigOption::mapper);
        YamlConfigurationFactory<AthanorConfiguration> factory = new YamlConfigurationFactory<>(
                AthanorConfiguration.class, validator, mapper, "dw");
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
