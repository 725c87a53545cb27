package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code ops db} reaches the same database as the site, the embedded default included, whether or not the site is
 * running.
 */
class DbCommandTest {

    @Test
    void worksOnTheEmbeddedDefaultWhenTheSiteIsNotRunningAndStopsItAgain() throws Exception {
        Path data = TestPostgres.newDirectory("ops-alone");
        Path config = embeddedConfig(data);

        OpsRun info = OpsRun.of("db", "info", "--config", config.toString());

        assertThat(info.exitCode()).as(info.err()).isEqualTo(1);
        assertThat(info.out()).contains("Database: embedded PostgreSQL at 127.0.0.1:")
                .containsPattern("(?m)^1\\s+enable extensions\\s+Pending");
        assertThat(data.resolve("postgres/pgdata/postmaster.pid")).doesNotExist();

        OpsRun migrate = OpsRun.of("db", "migrate", "--config", config.toString());
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("Applied " + dev.athanor.testing.ShippedMigrations.versions().size()
                + " migration(s).");

        OpsRun after = OpsRun.of("db", "info", "--config", config.toString());
        assertThat(after.exitCode()).isZero();
        assertThat(after.out()).containsPattern("(?m)^1\\s+enable extensions\\s+Success");
        assertThat(data.resolve("postgres/pgdata/postmaster.pid")).doesNotExist();

        OpsRun json = OpsRun.of("--config", config.toString(), "db", "info", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode migrations = new ObjectMapper().readTree(json.out());
        assertThat(migrations.path("database").asText()).startsWith("embedded PostgreSQL at 127.0.0.1:");
        assertThat(migrations.path("migrations").get(0).path("version").asText()).isEqualTo("1");
        assertThat(migrations.path("migrations").get(0).path("state").asText()).isEqualTo("Success");
        assertThat(migrations.path("migrations").get(0).path("installedOn").asText()).isNotEmpty();
        assertThat(migrations.path("problem").isNull()).isTrue();
    }

    @Test
    void usesTheRunningSitesEmbeddedServerAndLeavesItRunning() throws Exception {
        Path data = TestPostgres.newDirectory("ops-beside-site");
        EmbeddedPostgres sitesServer = new EmbeddedPostgres(data.resolve("postgres"), 0,
                Optional.of(TestPostgres.binaries()));
        try (DatabaseServer site = sitesServer.acquire();
                Connection sitesPool = site.dataSource("athanor").getConnection()) {

            OpsRun migrate = OpsRun.of("db", "migrate", "--config", embeddedConfig(data).toString());

            assertThat(migrate.exitCode()).as(migrate.err()).isZero();
            assertThat(data.resolve("postgres/pgdata/postmaster.pid")).as("the site's server keeps running")
                    .exists();
            try (Statement statement = sitesPool.createStatement()) {
                assertThat(statement.executeQuery("SELECT count(*) FROM flyway_schema_history").next()).isTrue();
            }
        } finally {
            sitesServer.stop();
        }
    }

    /** The shipped config.yml, pointed at {@code data} for the embedded default. */
    private static Path embeddedConfig(Path data) throws Exception {
        String shipped = Files.readString(Path.of("..", "config.yml"));
        String config = shipped.replace("${ATHANOR_DATA_DIR:-./data}", data.toString())
                .replace("${ATHANOR_POSTGRES_BIN:-}", TestPostgres.binaries().toString());
        Path file = data.resolve("config.yml");
        Files.writeString(file, config);
        return file;
    }
}
