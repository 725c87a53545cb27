package dev.athanor.ops.testing;

import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real site in the test JVM, as the app module's {@code TestApp} starts it, for tests outside that module: its
 * {@code test-config.yml} is read from the app's test jar, which {@code TestApp} cannot open as a file.
 */
public final class TestSite {

    private TestSite() {
    }

    public static DropwizardTestSupport<AthanorConfiguration> on(TestDatabase database, ConfigOverride... overrides) {
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", database.jdbcUrl()),
                ConfigOverride.config("database.user", database.user()),
                ConfigOverride.config("database.password", database.password()),
                ConfigOverride.config("storage.dataDirectory", TestPostgres.newDirectory("data").toString()),
                ConfigOverride.config("storage.logDirectory", TestPostgres.newDirectory("logs").toString())));
        all.addAll(List.of(overrides));
        return new DropwizardTestSupport<>(AthanorApplication.class, configFile().toString(),
                all.toArray(new ConfigOverride[0]));
    }

    private static Path configFile() {
        try (InputStream config = TestSite.class.getResourceAsStream("/test-config.yml")) {
            Path file = TestPostgres.newDirectory("site-config").resolve("test-config.yml");
            Files.write(file, config.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
