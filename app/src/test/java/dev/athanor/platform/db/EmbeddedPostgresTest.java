package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    @Test
    void createsTheClusterOnceAndKeepsItsDataAcrossRestarts() throws Exception {
        EmbeddedPostgres postgres = TestPostgres.dedicated("restarts", 0);

        try (DatabaseServer first = postgres.acquire();
                Connection connection = first.dataSource("test").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (note text)");
            statement.execute("INSERT INTO kept VALUES ('survives a restart')");
        }
        assertThat(postgres.dataDirectory().resolve("postmaster.pid")).doesNotExist();

        try (DatabaseServer second = postgres.acquire();
                Connection connection = second.dataSource("test").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT note FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("survives a restart");
        }
        assertThat(postgres.dataDirectory().resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aSecondUserAttachesToTheRunningServerAndTheLastOneOutStopsIt() throws Exception {
        EmbeddedPostgres postgres = TestPostgres.dedicated("shared-use", 0);
        DatabaseServer site = postgres.acquire();
        Connection sitePool = site.dataSource("site").getConnection();

        DatabaseServer ops = postgres.acquire();
        assertThat(ops.jdbcUrl()).isEqualTo(site.jdbcUrl());
        ops.close();
        assertThat(postgres.dataDirectory().resolve("postmaster.pid"))
                .as("the site still holds a connection, so ops leaves the server running")
                .exists();
        try (Statement statement = sitePool.createStatement()) {
            statement.execute("SELECT 1");
        }

        sitePool.close();
        site.close();
        assertThat(postgres.dataDirectory().resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void listensOnLoopbackOnlyAndRequiresItsGeneratedPassword() throws Exception {
        EmbeddedPostgres postgres = TestPostgres.dedicated("password", 0);
        try (DatabaseServer server = postgres.acquire();
                Connection connection = server.dataSource("test").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT current_setting('listen_addresses'), current_setting('password_encryption')")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("127.0.0.1");
            assertThat(rows.getString(2)).isEqualTo("scram-sha-256");
            Path password = postgres.dataDirectory().getParent().resolve("password");
            assertThat(Files.readString(password).strip()).isEqualTo(server.password()).hasSizeGreaterThan(20);
            assertThat(Files.getPosixFilePermissions(password))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

            org.postgresql.ds.PGSimpleDataSource wrong = new org.postgresql.ds.PGSimpleDataSource();
            wrong.setURL(server.jdbcUrl());
            wrong.setUser(server.user());
            wrong.setPassword("not-the-password");
            org.assertj.core.api.Assertions.assertThatThrownBy(wrong::getConnection)
                    .hasMessageContaining("password authentication failed");
        }
    }
}
