package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.testing.ManagedPostgres;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPgBouncer;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ops doctor} against deliberately broken setups: each problem is named, with its fix. */
class DoctorCommandTest {

    @TempDir
    Path temp;

    @Test
    void aBrokenSetupNamesEachProblemWithItsFix() throws Exception {
        Path nginxSite = temp.resolve("athanor.conf");
        Files.writeString(nginxSite, """
                upstream athanor_site {
                    server 127.0.0.1:9999;
                }
                server {
                    listen 127.0.0.1:8443 ssl
                    server_name learn.example.com;
                    location / { proxy_pass http://athanor_site; }
                }
                """); // a missing semicolon, and the wrong port
        Path config = new OpsConfig(temp)
                .set("database", "url", "postgresql://athanor:wrong@127.0.0.1:" + TestPostgres.freePort() + "/athanor")
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: 8080}]")
                .set("monitoring", "nginxSite", nginxSite.toString())
                .set("monitoring", "units", "[athanor-does-not-exist.service]")
                .set("certificates", "domains", "[learn.example.com]")
                .set("smtp", "host", "127.0.0.1")
                .set("smtp", "port", Integer.toString(TestPostgres.freePort()))
                .set("smtp", "startTls", "false")
                .write();

        OpsRun doctor = OpsRun.of("doctor", "--pg-bin", oldPgDump().toString(), "--config", config.toString());

        assertThat(doctor.exitCode()).as(doctor.out() + doctor.err()).isEqualTo(2);
        String out = doctor.out();
        assertThat(out).containsPattern("(?m)^FAIL  database +cannot reach PostgreSQL: .+$")
                .contains("fix: check DATABASE_URL (and DATABASE_USER, DATABASE_PASSWORD) in /etc/athanor/athanor.env")
                .containsPattern("(?m)^FAIL  nginx +" + java.util.regex.Pattern.quote(nginxSite.toString())
                        + " proxies to 127.0.0.1:9999 but the site listens on 127.0.0.1:8080$")
                .contains("fix: ops nginx config > /etc/nginx/sites-available/athanor.conf")
                .containsPattern("(?m)^FAIL  certificates +learn.example.com is configured but has no certificate$")
                .contains("fix: ops certs issue")
                .containsPattern("(?m)^FAIL  smtp +127.0.0.1:\\d+: .+$")
                .containsPattern("(?m)^OK    java +Java 17")
                .containsPattern("(?m)^(FAIL|WARN)  systemd +.*athanor-does-not-exist.service");
        if (Nginx.installed()) {
            assertThat(out).containsPattern("(?m)^FAIL  nginx +nginx -t fails on .*athanor.conf: .+$");
        }
        assertThat(out).containsPattern("(?m)^\\d+ problem\\(s\\), \\d+ warning\\(s\\)\\.$");
    }

    /**
     * A managed PostgreSQL (TLS from its own CA, 20 connections) with its pooler beside it, as DigitalOcean runs
     * them: the certificate verified, which address is pooled and which direct, and the connections weighed; without
     * the pooler the default pool is too much for the server, and a wrong CA file is named.
     */
    @Test
    void aManagedDatabaseBehindAPoolerIsVerifiedRoutedAndWeighed() throws Exception {
        assumeTrue(TestPgBouncer.installed(), "pgbouncer is not installed (./dev installs it)");
        try (ManagedPostgres postgres = ManagedPostgres.start("doctor", 20);
                TestPgBouncer bouncer = TestPgBouncer.startWithTls(postgres.port(), postgres.user(),
                        postgres.password(), 4, postgres.serverCertificate(), postgres.serverKey())) {
            String pooler = postgres.url("localhost").replace(":" + postgres.port() + "/", ":" + bouncer.port() + "/");
            Path config = new OpsConfig(temp.resolve("pooled"))
                    .set("database", "url", "\"" + pooler + "\"")
                    .set("database", "directUrl", "\"" + postgres.url("localhost") + "\"")
                    .set("database", "caFile", postgres.caFile().toString())
                    .write();

            String out = OpsRun.of("doctor", "--config", config.toString()).out();

            assertThat(out).contains("OK    db-tls          the server's certificate is verified against "
                            + postgres.caFile() + " (verify-full: the chain and the host name)")
                    .contains("OK    db-pooler       the site's pool goes through the connection pooler at localhost:"
                            + bouncer.port() + "/athanor (prepareThreshold=0); migrations, LISTEN, health checks,"
                            + " the scheduler, backups and ops connect directly to localhost:" + postgres.port()
                            + "/athanor (database.directUrl)")
                    .contains("OK    db-connections  1 node(s) may open 12 connection(s) to PostgreSQL, which accepts"
                            + " 17 (max_connections 20 - 3 reserved): per node 3 of the site's own")
                    .contains("the site's pools (1 x 16) go through the connection pooler; the pooler may use up to"
                            + " 5 server connection(s)");

            Path direct = new OpsConfig(temp.resolve("direct"))
                    .set("database", "url", "\"" + postgres.url("localhost") + "\"")
                    .set("database", "caFile", postgres.caFile().toString())
                    .write();
            String over = OpsRun.of("doctor", "--config", direct.toString()).out();
            assertThat(over).contains("WARN  db-connections  1 node(s) may open 27 connection(s) to PostgreSQL, which"
                            + " accepts 17 (max_connections 20 - 3 reserved): per node 16 for the site's pool")
                    .contains("fix: Lower database.maxSize (DATABASE_POOL_SIZE) to 6, put a connection pooler in front")
                    .contains("OK    db-pooler       no connection pooler");

            Path wrongCa = new OpsConfig(temp.resolve("wrong-ca"))
                    .set("database", "url", "\"" + postgres.url("localhost") + "\"")
                    .set("database", "caFile", postgres.otherCaFile().toString())
                    .write();
            assertThat(OpsRun.of("doctor", "--config", wrongCa.toString()).out()).contains("FAIL  database        cannot"
                    + " reach PostgreSQL: cannot connect to the database at localhost:" + postgres.port() + "/athanor:"
                    + " the server's TLS certificate is not signed by the CA in " + postgres.otherCaFile());
        }
    }

    @Test
    void aPgDumpOlderThanTheServerIsNamed() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Path config = new OpsConfig(temp)
                .set("database", "url", database.jdbcUrl())
                .set("database", "user", database.user())
                .set("database", "password", database.password())
                .write();

        OpsRun doctor = OpsRun.of("doctor", "--pg-bin", oldPgDump().toString(), "--config", config.toString());

        assertThat(doctor.out()).containsPattern("(?m)^OK    database +PostgreSQL 15 reachable")
                .containsPattern("(?m)^FAIL  pg_dump +pg_dump 9\\.6 in .+ is older than the server \\(PostgreSQL 15\\)"
                        + " and cannot dump it$")
                .contains("fix: apt-get install postgresql-client-15");
        assertThat(doctor.exitCode()).isEqualTo(2);

        assumeTrue(Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/pg_dump")), "no pg_dump 15 installed");
        OpsRun fine = OpsRun.of("doctor", "--pg-bin", "/usr/lib/postgresql/15/bin", "--config", config.toString());
        assertThat(fine.out()).containsPattern("(?m)^OK    pg_dump +pg_dump 15\\.\\d+ can dump PostgreSQL 15$");
    }

    @Test
    void filesInTheDataDirectoryOfAnotherOwnerAreNamedWithTheFix() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a file's owner needs root");
        TestDatabase database = TestPostgres.shared().createDatabase();
        Path config = new OpsConfig(temp)
                .set("database", "url", database.jdbcUrl())
                .set("database", "user", database.user())
                .set("database", "password", database.password())
                .write();
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.createDirectories(temp.resolve("logs"));
        Path key = Files.writeString(Files.createDirectories(data.resolve("certificates")).resolve("account.key"), "k");

        OpsRun clean = OpsRun.of("doctor", "--config", config.toString());
        assertThat(clean.out()).containsPattern("(?m)^OK    ownership +everything in " + Pattern.quote(data.toString())
                + " belongs to root$");

        Files.setOwner(key, key.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        OpsRun doctor = OpsRun.of("doctor", "--config", config.toString());

        assertThat(doctor.out()).containsPattern("(?m)^FAIL  ownership +1 file\\(s\\) in " + Pattern.quote(data.toString())
                        + " do not belong to root, its owner \\(" + Pattern.quote(key.toString()) + " belongs to nobody\\)")
                .contains("fix: chown -R root: " + data);
        assertThat(doctor.exitCode()).isEqualTo(2);
    }

    /**
     * On a server (deploy.mode systemd) the site's unit checked is the live instance's, from live.json: none live is
     * a problem whose fix is the first deploy; a monitoring.units still naming athanor.service (from before releases)
     * is said once, not checked.
     */
    @Test
    void theSiteUnitCheckedIsTheLiveSlots() throws Exception {
        Path install = Files.createDirectories(temp.resolve("install"));
        Path config = new OpsConfig(temp)
                .set("database", "url", "postgresql://athanor:wrong@127.0.0.1:" + TestPostgres.freePort() + "/athanor")
                .set("deploy", "mode", "systemd")
                .set("deploy", "directory", install.toString())
                .set("monitoring", "units", "[athanor.service, athanor-scheduler.service]")
                .write();

        String none = OpsRun.of("doctor", "--config", config.toString()).out();
        assertThat(none).containsPattern("(?m)^FAIL  systemd +no release is live: " + Pattern.quote(install
                        + "/live.json") + " is missing$")
                .contains("fix: tar xzf athanor-VERSION.tar.gz && OPS_JAR=$PWD/athanor-VERSION/ops.jar ops deploy"
                        + " athanor-VERSION.tar.gz")
                .containsPattern("(?m)^WARN  systemd +monitoring.units names athanor.service, which releases replaced"
                        + " by athanor@a.service and athanor@b.service")
                .containsPattern("(?m)^(OK|WARN|FAIL)  systemd +.*athanor-scheduler.service")
                .doesNotContainPattern("(?m)^(OK|FAIL)  systemd +athanor.service");

        Files.writeString(install.resolve("live.json"), "{\"release\":\"1.2.0-3fa9c21b\",\"slot\":\"b\","
                + "\"since\":\"2026-12-06T12:00:00Z\"}");
        String live = OpsRun.of("doctor", "--config", config.toString()).out();
        assertThat(live).containsPattern("(?m)^(OK|WARN|FAIL)  systemd +.*athanor@b.service")
                .doesNotContain("athanor@a.service is", "no release is live");

        Files.writeString(install.resolve("live.json"), "{\"slot\":");
        assertThat(OpsRun.of("doctor", "--config", config.toString()).out())
                .containsPattern("(?m)^FAIL  systemd +" + Pattern.quote(install + "/live.json") + " cannot be read: ");

        Path local = new OpsConfig(Files.createDirectories(temp.resolve("local")))
                .set("database", "url", "postgresql://athanor:wrong@127.0.0.1:" + TestPostgres.freePort() + "/athanor")
                .set("deploy", "mode", "local")
                .set("deploy", "directory", install.toString()).write();
        assertThat(OpsRun.of("doctor", "--config", local.toString()).out()).as("local mode: processes, no unit")
                .doesNotContain("athanor@", "no release is live");
    }

    /** A directory with a pg_dump and pg_restore that say they are 9.6, as an old client package would. */
    private Path oldPgDump() throws Exception {
        Path bin = Files.createDirectories(temp.resolve("old-postgresql/bin"));
        for (String tool : new String[] {"pg_dump", "pg_restore"}) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 9.6.24'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }
}
