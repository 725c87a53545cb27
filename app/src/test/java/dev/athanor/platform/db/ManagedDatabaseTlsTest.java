package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.PostgresTarget;
import dev.athanor.testing.ManagedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A managed PostgreSQL's URL ({@code sslmode=require}) with its CA file: connections verify the certificate and the
 * host name, for the site (pgjdbc) and for pg_dump (libpq) alike, and a wrong CA or host is refused with a reason.
 */
class ManagedDatabaseTlsTest {

    private static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static ManagedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = ManagedPostgres.start("tls", 20);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void theRightCaAndHostConnectVerifiedInFull() throws Exception {
        try (DatabaseServer server = factory(postgres.url("localhost"), postgres.caFile()).start();
                Connection connection = server.connect("tls-test", 5);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(server.jdbcUrl()).as("require became verify-full").contains("sslmode=verify-full")
                    .doesNotContain("sslmode=require").contains("sslrootcert=" + postgres.caFile());
            row.next();
            assertThat(row.getBoolean(1)).isTrue();
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedNamingTheFile() throws Exception {
        try (DatabaseServer server = factory(postgres.url("localhost"), postgres.otherCaFile()).start()) {
            assertThatThrownBy(() -> server.connect("tls-test", 5).close())
                    .isInstanceOf(DatabaseConnectionException.class)
                    .hasMessage("cannot connect to the database at localhost:" + postgres.port() + "/athanor: the"
                            + " server's TLS certificate is not signed by the CA in " + postgres.otherCaFile()
                            + " (database.caFile): download the CA certificate of this database server again");
        }
    }

    @Test
    void aHostNameTheCertificateDoesNotNameIsRefused() throws Exception {
        try (DatabaseServer server = factory(postgres.url("127.0.0.1"), postgres.caFile()).start()) {
            assertThatThrownBy(() -> server.connect("tls-test", 5).close())
                    .isInstanceOf(DatabaseConnectionException.class)
                    .hasMessageStartingWith("cannot connect to the database at 127.0.0.1:" + postgres.port()
                            + "/athanor: the server's TLS certificate does not name the host 127.0.0.1: connect by a"
                            + " host name the certificate lists");
        }
    }

    @Test
    void withoutACaFileRequireStillEncryptsButVerifiesNothing() throws Exception {
        try (DatabaseServer server = factory(postgres.url("127.0.0.1"), null).start();
                Connection connection = server.connect("tls-test", 5)) {
            assertThat(server.jdbcUrl()).endsWith("?sslmode=require");
        }
    }

    @Test
    void pgDumpVerifiesWithTheSameFile() throws Exception {
        try (DatabaseServer right = factory(postgres.url("localhost"), postgres.caFile()).start();
                DatabaseServer wrong = factory(postgres.url("localhost"), postgres.otherCaFile()).start()) {
            PostgresTarget target = new PostgresTarget(right.jdbcUrl(), right.user(), right.password());
            assertThat(target.libpqUri()).contains("sslmode=verify-full", "sslrootcert=" + postgres.caFile());
            assertThat(pgDump(target)).isEqualTo("0");

            String refused = pgDump(new PostgresTarget(wrong.jdbcUrl(), wrong.user(), wrong.password()));
            assertThat(refused).contains("certificate verify failed");
        }
    }

    @Test
    void aUrlThatAllowsPlainTextContradictsTheCaFile() {
        DatabaseFactory factory = factory(postgres.url("localhost").replace("require", "disable"), postgres.caFile());
        assertThat(factory.isCaFileCompatible()).isFalse();
        assertThat(factory(postgres.url("localhost").replace("require", "verify-ca"), postgres.caFile())
                .isCaFileCompatible()).isTrue();
        assertThat(factory(postgres.url("localhost"), Path.of("/nonexistent/ca.crt")).isCaFileUsable()).isFalse();
    }

    /** pg_dump's exit status, or its error output when it failed. */
    private static String pgDump(PostgresTarget target) throws Exception {
        List<String> command = new ArrayList<>(List.of(PG_BIN.resolve("pg_dump").toString(), "--schema-only",
                "--file=/dev/null", "--dbname=" + target.libpqUri()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.putAll(target.environment("tls-test"));
        Process process = builder.start();
        String errors = new String(process.getErrorStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 ? "0" : errors;
    }

    private static DatabaseFactory factory(String url, Path caFile) {
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(url);
        factory.setCaFile(caFile == null ? "" : caFile.toString());
        return factory;
    }
}
