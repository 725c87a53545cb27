package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.db.ManagedDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SitePoolTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @Test
    void aStoppedPoolGivesNoConnectionAndLeavesNoneOpen() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        ManagedDataSource pool = new DatabaseFactory().buildPool(metrics, new DatabaseServer(DATABASE.jdbcUrl(),
                DATABASE.user(), DATABASE.password(), "test", () -> { }), "database");
        pool.start();
        try (Connection connection = pool.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
            assertThat(siteConnections()).isEqualTo(2);
            assertThat(metrics.getGauges()).containsKey("io.dropwizard.db.ManagedPooledDataSource.database.active");
        } finally {
            pool.stop();
        }
        // what a late health check did: tomcat-jdbc would have opened a new pool for it, and kept it open
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class)
                .hasMessage("the site is stopping: its database connection pool is closed");
        // a closed connection's backend leaves pg_stat_activity a moment after the socket closes
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(siteConnections()).isZero());
    }

    private static long siteConnections() {
        return DATABASE.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'athanor'"
                + " AND datname = current_database()");
    }
}
