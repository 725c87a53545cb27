package dev.athanor.testing;

import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The real site, started in the test JVM on random ports against a test database. */
public final class TestApp {

    private TestApp() {
    }

    /** The site on {@code database}, with {@code overrides} on top of {@code test-config.yml}. */
    public static DropwizardAppExtension<AthanorConfiguration> extension(Supplier<TestDatabase> database,
            ConfigOverride... overrides) {
        return extension(AthanorApplication.class, database, overrides);
    }

    public static DropwizardAppExtension<AthanorConfiguration> extension(
            Class<? extends Application<AthanorConfiguration>> application, Supplier<TestDatabase> database,
            ConfigOverride... overrides) {
        return new DropwizardAppExtension<>(support(application, database, overrides));
    }

    /** The site on {@code database}, with {@code overrides} on top of {@code configFile} (see {@link #configFile}). */
    public static DropwizardAppExtension<AthanorConfiguration> extension(
            Class<? extends Application<AthanorConfiguration>> application, String configFile,
            Supplier<TestDatabase> database, ConfigOverride... overrides) {
        return new DropwizardAppExtension<>(support(application, configFile, database, overrides));
    }

    /** For tests that start and stop the site themselves. */
    public static DropwizardTestSupport<AthanorConfiguration> support(
            Class<? extends Application<AthanorConfiguration>> application, Supplier<TestDatabase> database,
            ConfigOverride... overrides) {
        return support(application, configFile(), database, overrides);
    }

    private static DropwizardTestSupport<AthanorConfiguration> support(
            Class<? extends Application<AthanorConfiguration>> application, String configFile,
            Supplier<TestDatabase> database, ConfigOverride... overrides) {
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", () -> database.get().jdbcUrl()),
                ConfigOverride.config("database.user", () -> database.get().user()),
                ConfigOverride.config("database.password", () -> database.get().password()),
                ConfigOverride.config("storage.dataDirectory", TestPostgres.newDirectory("data").toString()),
                ConfigOverride.config("storage.logDirectory", TestPostgres.newDirectory("logs").toString()),
                ConfigOverride.config("media.directory", TestPostgres.newDirectory("media").toString()),
                ConfigOverride.config("mail.directory", TestPostgres.newDirectory("mail").toString())));
        all.addAll(List.of(overrides));
        return new DropwizardTestSupport<>(application, configFile, all.toArray(new ConfigOverride[0]));
    }

    /** The tests' config.yml as a file (copied out of the test jar when another module runs the site). */
    public static synchronized String configFile() {
        try (java.io.InputStream in = TestApp.class.getClassLoader().getResourceAsStream("test-config.yml")) {
            Path file = Path.of("target", "test-config.yml").toAbsolutePath();
            java.nio.file.Files.createDirectories(file.getParent());
            // Test JVMs run side by side (forkCount): each writes its own copy and renames it into place, so that no
            // JVM reads the file while another is rewriting it.
            Path copy = java.nio.file.Files.createTempFile(file.getParent(), "test-config-", ".yml");
            java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.setPosixFilePermissions(copy,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            java.nio.file.Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The tests' config.yml with a request log in {@code log} (overrides cannot add a list entry): one JSON line per
     * request with the client address the site believed and the request {@code headers} named, for tests of what
     * reaches the site through a proxy. The file is written beside the log.
     */
    public static String configFileWithRequestLog(Path log, java.util.List<String> headers) {
        String quiet = "  requestLog:\n    appenders: []\n";
        try {
            String config = java.nio.file.Files.readString(Path.of(configFile()));
            if (!config.contains(quiet)) {
                throw new IllegalStateException("test-config.yml no longer has " + quiet.strip());
            }
            Path file = log.resolveSibling("test-config-request-log.yml");
            java.nio.file.Files.writeString(file, config.replace(quiet, """
                      requestLog:
                        appenders:
                          - type: file
                            currentLogFilename: %s
                            archive: false
                            layout:
                              type: access-json
                              requestHeaders: [%s]
                    """.formatted(log.toAbsolutePath(), String.join(", ", headers))));
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The repository's own config.yml, which the site ships with. */
    public static Path shippedConfig() {
        return Path.of("..", "config.yml").toAbsolutePath().normalize();
    }
}
