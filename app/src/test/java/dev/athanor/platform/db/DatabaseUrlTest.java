package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void keepsAJdbcUrlAsItIs() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db.internal:5432/athanor?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/athanor?sslmode=require");
        assertThat(url.user()).isEmpty();
    }

    @Test
    void takesCredentialsOutOfAManagedServiceUrl() {
        DatabaseUrl url = DatabaseUrl.parse(
                "postgresql://doadmin:s3cr%40t+x@db-postgresql-ams3-1234.b.db.ondigitalocean.com:25060/defaultdb"
                        + "?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo(
                "jdbc:postgresql://db-postgresql-ams3-1234.b.db.ondigitalocean.com:25060/defaultdb?sslmode=require");
        assertThat(url.user()).contains("doadmin");
        assertThat(url.password()).isEqualTo(Optional.of("s3cr@t+x"));
    }

    @Test
    void refusesWhatIsNotAPostgresAddress() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://localhost/athanor"))
                .hasMessageContaining("database.url must be");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://localhost"))
                .hasMessageContaining("needs a host and a database name");
    }
}
