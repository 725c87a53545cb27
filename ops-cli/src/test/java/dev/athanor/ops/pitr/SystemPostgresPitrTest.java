package dev.athanor.ops.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.backup.PostgresClient;
import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.RestoredServer;
import dev.athanor.ops.testing.MachinePostgres;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.PitrFixture;
import dev.athanor.ops.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops pitr} on a system PostgreSQL (the machine's PostgreSQL 15, run as {@code postgres}, reached by peer
 * through its socket, restarted by {@code backup.pitr.restartCommand}), as on a server where Debian's PostgreSQL
 * holds the site's database: setup twice, the site's user allowed to read the archiver, a restore to a moment.
 */
class SystemPostgresPitrTest {

    @TempDir
    Path temp;

    @Test
    void setsUpAndRestoresASystemClusterToAMoment() throws Exception {
        assumeTrue(MachinePostgres.root(), "a system cluster runs as postgres: the test must run as root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pgbackrest")), "pgbackrest is not installed (./dev test"
                + " installs it)");
        try (MachinePostgres postgres = MachinePostgres.create("pitr-system").start()) {
            try (Connection admin = postgres.connect("postgres"); Statement statement = admin.createStatement()) {
                statement.execute("CREATE ROLE athanor LOGIN PASSWORD 'site-secret'");
                statement.execute("CREATE DATABASE athanor OWNER athanor");
            }
            Path config = config(postgres);

            OpsRun setup = ops(config, "pitr", "setup", "--yes");
            OpsRun again = ops(config, "pitr", "setup", "--yes", "--json");

            assertThat(setup.exitCode()).as(setup.err() + setup.out()).isZero();
            assertThat(setup.out()).contains("set archive_mode = on", "Restarting the system PostgreSQL",
                    "took the first full backup");
            assertThat(setup.out()).contains("let postgres pass through " + temp.resolve("data"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("data"))))
                    .as("search for others, not listing").isEqualTo("rwxr-x--x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("data/pitr"))))
                    .as("the site's user sees that it is set up, reads nothing").isEqualTo("rwx--x--x");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("\"state\":\"unchanged\"");
            Instant moment;
            try (Connection site = MachinePostgres.connect(postgres.port(), "athanor", "athanor", "site-secret");
                    Statement statement = site.createStatement()) {
                assertThat(text(statement, "SELECT count(*) FROM pg_ls_archive_statusdir()"))
                        .as("the site's user may read the archiver's state (pg_monitor)").isNotNull();
                statement.execute("CREATE TABLE lessons AS SELECT n FROM generate_series(1, 50) n");
                moment = Instant.parse(text(statement, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"));
                Thread.sleep(20); // the next commit's time is after the moment, to the millisecond
                statement.execute("INSERT INTO lessons SELECT n FROM generate_series(51, 100) n");
            }
            awaitArchived(postgres);
            Path restored = temp.resolve("restored");

            OpsRun restore = ops(config, "pitr", "restore", "--to-time", moment.toString(), "--data-dir",
                    restored.toString());

            assertThat(restore.exitCode()).as(restore.err() + restore.out()).isZero();
            assertThat(Files.getOwner(restored).getName()).isEqualTo("postgres");
            Path sockets = Files.createDirectories(temp.resolve("sockets"));
            MachinePostgres.giveToClusterUser(sockets);
            Cluster copy = new Cluster("the restored copy", restored, sockets, SiteRestore.freePort(), "postgres",
                    Optional.empty(), MachinePostgres.asClusterUser(), MachinePostgres.BIN,
                    PostgresClient.locate(Optional.empty()).binDirectory(), false);
            try (RestoredServer server = RestoredServer.recover(copy, Duration.ofMinutes(1))) {
                assertThat(copy.sql("athanor", "SELECT count(*) FROM lessons")).isEqualTo("50");
            }
        }
    }

    private Path config(MachinePostgres postgres) throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        // as /var/lib/athanor on a server: the athanor user's, closed to others such as postgres
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        return new TestConfig()
                .set("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/athanor")
                .set("DATABASE_USER", "athanor")
                .set("DATABASE_PASSWORD", "site-secret")
                .set("ATHANOR_DATA_DIR", data.toString())
                .set("ATHANOR_LOG_DIR", data.resolve("logs").toString())
                .set("ATHANOR_BACKUP_DIR", data.resolve("backups").toString())
                .replace("archiveTimeout: 60 seconds", "archiveTimeout: 2 seconds")
                .replace("socketDirectory: /var/run/postgresql", "socketDirectory: " + postgres.socketDirectory())
                .replace("restartCommand: \"\"", "restartCommand: \"" + String.join(" ",
                        MachinePostgres.asClusterUser(MachinePostgres.BIN.resolve("pg_ctl").toString(), "restart",
                                "--pgdata=" + postgres.dataDirectory(), "--log=" + postgres.directory().resolve("postgres.log"),
                                "--mode=fast", "--wait", "--silent")) + "\"")
                .write(temp);
    }

    private static OpsRun ops(Path config, String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--config", config.toString())).toArray(String[]::new);
        return OpsRun.of(all);
    }

    private static void awaitArchived(MachinePostgres postgres) throws Exception {
        try (Connection admin = postgres.connect("postgres"); Statement statement = admin.createStatement()) {
            PitrFixture.awaitArchived(statement);
        }
    }

    private static String text(Statement statement, String sql) throws java.sql.SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
