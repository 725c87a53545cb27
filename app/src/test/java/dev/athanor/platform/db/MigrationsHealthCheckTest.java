package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck.Result;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The migrations check on a real database: up to date after migrating, still healthy (and saying so) when a newer
 * release has applied migrations this one does not know, as after {@code ops rollback}, and unhealthy after a failed
 * migration.
 */
class MigrationsHealthCheckTest {

    @Test
    void anOlderReleaseOnANewerSchemaIsHealthyAndSaysSo() {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Migrations migrations = new Migrations(database.dataSource());
        migrations.migrate();
        MigrationsHealthCheck check = new MigrationsHealthCheck(migrations);

        Result upToDate = check.execute();
        recordMigration(database, "900", "V900__add_newer_column.sql", true);
        Result newer = check.execute();
        recordMigration(database, "901", "V901__fails.sql", false);
        Result failed = check.execute();

        assertThat(upToDate.isHealthy()).isTrue();
        assertThat(upToDate.getMessage()).isEqualTo("up to date");
        assertThat(newer.isHealthy()).isTrue();
        assertThat(newer.getMessage()).contains("1 migration(s) of a newer release, up to 900");
        assertThat(failed.isHealthy()).isFalse();
        assertThat(failed.getMessage()).contains("migration 901").contains("failed");
    }

    private static void recordMigration(TestDatabase database, String version, String script, boolean success) {
        database.execute("""
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                    installed_by, execution_time, success)
                SELECT max(installed_rank) + 1, ?, 'newer', 'SQL', ?, 0, current_user, 1, ? FROM flyway_schema_history
                """, version, script, success);
    }
}
