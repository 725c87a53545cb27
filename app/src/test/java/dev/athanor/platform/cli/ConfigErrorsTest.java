package dev.athanor.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken config.yml stops start-up with one line that names the key, not a stack trace. */
class ConfigErrorsTest {

    @TempDir
    Path temp;

    @Test
    void aWrongTypeNamesTheKey() throws IOException {
        String stderr = serverWith(shipped().replace("port: ${ATHANOR_PORT:-8080}", "port: eighty"));

        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).startsWith("athanor: ").contains("server.applicationConnectors[0].port")
                .contains("expected: int");
    }

    @Test
    void aMissingRequiredKeyNamesTheKey() throws IOException {
        String stderr = serverWith(shipped().replace("  baseUrl: ${ATHANOR_BASE_URL:-http://localhost:8080}\n", ""));

        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).contains("site.baseUrl must not be null");
    }

    @Test
    void aMisspelledKeyIsNamedWithTheLikelyOne() throws IOException {
        String stderr = serverWith(shipped().replace("storage:", "storag:"));

        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).contains("storag").contains("did you mean storage");
    }

    @Test
    void anUndefinedVariableIsNamed() throws IOException {
        String stderr = serverWith(shipped().replace("${ATHANOR_SITE_NAME:-Athanor}", "${ATHANOR_NOT_SET_ANYWHERE}"));

        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).contains("ATHANOR_NOT_SET_ANYWHERE");
    }

    @Test
    void anInvalidDatabaseUrlIsNamed() throws IOException {
        String stderr = serverWith(shipped().replace("${DATABASE_URL:-embedded}", "mysql://localhost/athanor"));

        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).contains("database.url must be \"embedded\"");
    }

    private String serverWith(String config) throws IOException {
        Path file = temp.resolve("config.yml");
        Files.writeString(file, config);
        AthanorApplication application = new AthanorApplication();
        Bootstrap<AthanorConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        bootstrap.registerMetrics();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        bootstrap.addCommand(new SiteServerCommand<>(application));
        Cli cli = new Cli(new JarLocation(getClass()), bootstrap, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        Optional<Throwable> failure = cli.run("server", file.toString());

        assertThat(failure).isPresent();
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String shipped() throws IOException {
        return Files.readString(Path.of("..", "config.yml"));
    }
}
