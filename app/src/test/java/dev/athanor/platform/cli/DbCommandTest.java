package dev.athanor.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar athanor.jar db migrate|info config.yml}. */
class DbCommandTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @TempDir
    Path temp;

    @Test
    void infoListsPendingMigrationsAndMigrateAppliesThem() throws Exception {
        Path config = configFor(DATABASE);

        String before = run("info", config);
        assertThat(before).contains("VERSION").containsPattern("(?m)^1\\s+enable extensions\\s+Pending");

        assertThat(run("migrate", config)).contains("Applied "
                + shippedMigrations(Path.of("src/main/resources/db/migration")) + " migration(s).");
        assertThat(run("migrate", config)).contains("Schema up to date.");

        String after = run("info", config);
        assertThat(after).containsPattern("(?m)^1\\s+enable extensions\\s+Success\\s+\\d{4}-\\d\\d-\\d\\d");
        Integer extensions = DATABASE.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM pg_extension WHERE extname IN ('citext', 'unaccent')").mapTo(Integer.class)
                .one());
        assertThat(extensions).isEqualTo(2);
    }

    private String run(String action, Path config) throws Exception {
        AthanorApplication application = new AthanorApplication();
        Bootstrap<AthanorConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        DbCommand command = (DbCommand) bootstrap.getCommands().stream()
                .filter(candidate -> candidate.getName().equals("db")).findFirst().orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command.printTo(new PrintStream(out, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new JarLocation(getClass()), bootstrap, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(cli.run("db", action, config.toString())).as(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path configFor(TestDatabase database) throws Exception {
        String config = Files.readString(Path.of(TestApp.configFile()))
                .replace("url: embedded", "url: " + database.jdbcUrl() + "\n  user: " + database.user()
                        + "\n  password: " + database.password());
        Path file = temp.resolve("config.yml");
        Files.writeString(file, config);
        return file;
    }

    /** How many migrations this release ships (the lead's and the backup issue's numbers may both grow). */
    private static long shippedMigrations(Path directory) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
