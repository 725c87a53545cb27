package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's run: the packaged jar with the shipped config.yml and nothing else configured comes up on its
 * embedded PostgreSQL, serves the site, stops both on Ctrl-C, and finds its data again on the next start.
 */
class EmbeddedDefaultIT {

    private final Path directory = TestPostgres.newDirectory("embedded-default");
    private final int port = TestPostgres.freePort();
    private final int adminPort = TestPostgres.freePort();
    private Process site;

    /** Whatever happened, nothing is left running: the site, and the PostgreSQL it started (killed with it). */
    @AfterEach
    void stopSite() throws Exception {
        if (site != null && site.isAlive()) {
            site.destroyForcibly();
            site.waitFor(30, TimeUnit.SECONDS);
        }
        if (Files.exists(directory.resolve("data/postgres/pgdata/postmaster.pid"))) {
            ProcessHandle.of(postmasterPid()).ifPresent(postgres -> {
                postgres.destroy(); // SIGTERM: PostgreSQL's smart shutdown
                postgres.onExit().completeOnTimeout(postgres, 30, TimeUnit.SECONDS).join();
                postgres.destroyForcibly();
            });
        }
    }

    @Test
    void theShippedConfigurationRunsOnItsEmbeddedDefault() throws Exception {
        Files.copy(Path.of(System.getProperty("athanor.config")), directory.resolve("config.yml"));

        site = start();
        assertThat(Http.awaitStatus(base() + "/health", 200, Duration.ofSeconds(120)))
                .as("the site answers /health; its output:%n%s", output()).isTrue();
        assertThat(Http.get(base() + "/").body()).contains("<a class=\"brand\" href=\"/\">Athanor</a>")
                .as("a newcomer sees the demo course").contains("Java from Scratch");
        assertThat(Http.getBytes(base() + "/courses/java-from-scratch/hello-world/video", "Range", "bytes=0-99")
                .statusCode()).isEqualTo(206);
        long postgresPid = postmasterPid();
        assertThat(ProcessHandle.of(postgresPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        signal(site, "INT");
        assertThat(site.waitFor(60, TimeUnit.SECONDS)).as("Ctrl-C stops the site").isTrue();
        assertThat(directory.resolve("data/postgres/pgdata/postmaster.pid")).doesNotExist();
        assertThat(exited(postgresPid)).as("Ctrl-C stops the embedded PostgreSQL too").isTrue();

        site = start();
        assertThat(Http.awaitStatus(base() + "/health", 200, Duration.ofSeconds(120))).isTrue();
        TestDatabase database = new TestDatabase("jdbc:postgresql://127.0.0.1:" + postmasterPort() + "/athanor",
                "athanor", Files.readString(directory.resolve("data/postgres/password")).strip());
        int migrations = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM flyway_schema_history").mapTo(Integer.class).one());
        long shipped;
        try (var files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            shipped = files.filter(file -> file.getFileName().toString().endsWith(".sql")).count();
        }
        assertThat(migrations)
                .as("the first start's migrations are still there, and not applied twice").isEqualTo(shipped);
        int courses = database.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM course")
                .mapTo(Integer.class).one());
        assertThat(courses).as("the demo content is imported once").isEqualTo(1);

        signal(site, "TERM");
        assertThat(site.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(site.exitValue()).as("systemd's stop signal ends the JVM as SIGTERM (143)").isEqualTo(143);
        assertThat(directory.resolve("data/postgres/pgdata/postmaster.pid")).doesNotExist();

        assertJsonLines(directory.resolve("data/logs/app.log"), "level");
        assertJsonLines(directory.resolve("data/logs/requests.log"), "uri");
    }

    private Process start() throws IOException {
        // env --default-signal=INT: a run started in the background (nohup, CI) inherits SIGINT ignored, and the
        // site would then never see the Ctrl-C this test sends it.
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT", "java", "-Xmx256m", "-jar",
                System.getProperty("athanor.jar"), "server", "config.yml")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("output.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("ATHANOR_") || name.startsWith("DATABASE_"));
        builder.environment().put("ATHANOR_PORT", Integer.toString(port));
        builder.environment().put("ATHANOR_ADMIN_PORT", Integer.toString(adminPort));
        return builder.start();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(postmaster().get(0).strip());
    }

    private int postmasterPort() throws IOException {
        return Integer.parseInt(postmaster().get(3).strip());
    }

    private List<String> postmaster() throws IOException {
        return Files.readAllLines(directory.resolve("data/postgres/pgdata/postmaster.pid"));
    }

    private String output() throws IOException {
        Path log = directory.resolve("output.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Whether process {@code pid} is gone, allowing it a few seconds to finish exiting. */
    private static boolean exited(long pid) throws Exception {
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            try {
                process.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            }
        }
        return true;
    }

    private static void signal(Process process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertJsonLines(Path file, String field) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            assertThat(event.has(field)).as("%s in %s", field, line).isTrue();
        }
    }
}
