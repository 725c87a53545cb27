package dev.athanor.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ops deploy} and {@code ops rollback} in local mode, end to end: the packaged release archive and variants of
 * it, real site processes with the unit's JVM flags, a real nginx in front, a real PostgreSQL. The tests run in
 * order on one install, as an operator's releases follow one another.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployIT {

    private static final Duration DEPLOY = Duration.ofSeconds(150);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Path work;
    private static Path install;
    private static Path config;
    /** The same install with a short readiness timeout, for the release that never becomes ready. */
    private static Path impatientConfig;
    private static TestDatabase database;
    private static int nginxPort;
    private static final Map<String, int[]> SLOTS = new HashMap<>();
    private static Path releaseA;
    private static Path releaseB;
    private static Path compatible;
    private static Path breaking;
    private static Path hanging;
    private static final Map<String, String> ENVIRONMENT = new HashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue(Nginx.installed(), "nginx is not installed");
        work = TestPostgres.newDirectory("deploy");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        install = work.resolve("install");
        database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        nginxPort = TestPostgres.freePort();
        SLOTS.put("a", new int[] {TestPostgres.freePort(), TestPostgres.freePort()});
        SLOTS.put("b", new int[] {TestPostgres.freePort(), TestPostgres.freePort()});
        TestConfig settings = TestConfig.on(database, work.resolve("data"))
                .set("ATHANOR_INSTALL_DIR", install.toString())
                .set("ATHANOR_DEPLOY_MODE", "local")
                .set("ATHANOR_LOCAL_NGINX_PORT", Integer.toString(nginxPort))
                .replace("slotA: {port: 8080, adminPort: 8081}", "slotA: {port: " + SLOTS.get("a")[0]
                        + ", adminPort: " + SLOTS.get("a")[1] + "}")
                .replace("slotB: {port: 8090, adminPort: 8091}", "slotB: {port: " + SLOTS.get("b")[0]
                        + ", adminPort: " + SLOTS.get("b")[1] + "}")
                .replace("warmup: 3s", "warmup: 1s");
        // A first start beside the other test JVM has taken over 25 s on CI's machine, so the releases that do
        // start get the production timeout; only the one that never answers is given up on sooner.
        config = settings.write(work);
        impatientConfig = settings.replace("readinessTimeout: 60s", "readinessTimeout: 20s")
                .write(work.resolve("impatient"));
        Path built = Releases.built();
        releaseA = Releases.variant(built, work.resolve("a.tar.gz"), "1.0.0", null);
        releaseB = Releases.variant(built, work.resolve("b.tar.gz"), "1.1.0", null);
        String expand = "-- an expand step: a nullable column the older release never reads\n"
                + "ALTER TABLE page_view_daily ADD COLUMN deploy_note text;\n";
        compatible = Releases.variant(built, work.resolve("c.tar.gz"), "1.2.0", Releases.jarWithMigration(built,
                work.resolve("c.jar"), "V900__add_deploy_notes.sql", expand));
        breaking = Releases.variant(built, work.resolve("d.tar.gz"), "1.3.0", Releases.jarWithMigrations(built,
                work.resolve("d.jar"), Map.of("V900__add_deploy_notes.sql", expand, "V901__drop_deploy_notes.sql",
                        "-- the contract step\nALTER TABLE page_view_daily\n    DROP COLUMN deploy_note;\n")));
        hanging = Releases.variant(built, work.resolve("h.tar.gz"), "1.4.0", Releases.hangingJar(work));
        ENVIRONMENT.put("OPS_LOG_LEVEL", "WARN");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (install == null) {
            return;
        }
        // nginx first and by SIGTERM, so that its master takes its workers with it
        dev.athanor.ops.nginx.NginxControl.of(dev.athanor.ops.shared.ConfigOption.of(config).load()).stopLocal();
        for (String pidFile : List.of("instances/a.pid", "instances/b.pid")) {
            Path file = install.resolve(pidFile);
            if (Files.exists(file)) {
                ProcessHandle.of(Long.parseLong(Files.readString(file).strip())).ifPresent(process -> {
                    process.destroyForcibly();
                    process.onExit().join();
                });
            }
        }
    }

    @Test
    @Order(1)
    void theFirstDeployServesThroughNginx() throws Exception {
        OpsChild deploy = ops("deploy", releaseA.toString());
        assertThat(deploy.await(DEPLOY)).as(deploy.output()).isZero();
        assertThat(deploy.output()).contains("Deployed 1.0.0-");
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(live()).startsWith("1.0.0-");
        OpsChild releases = ops("releases");
        assertThat(releases.await(DEPLOY)).isZero();
        assertThat(releases.output()).containsPattern("1\\.0\\.0-\\w{8} +live");
    }

    @Test
    @Order(2)
    void aReleaseThatNeverBecomesReadyIsStoppedAndNeverTakesTraffic() throws Exception {
        String before = live();
        OpsChild deploy = OpsChild.start(work.resolve("ops-hanging.out"), ENVIRONMENT, "deploy", hanging.toString(),
                "--config", impatientConfig.toString());
        assertThat(deploy.await(DEPLOY)).isEqualTo(69);
        assertThat(deploy.output()).contains("not ready after 20 s").contains("nothing answers on its admin port")
                .contains("starting, slowly");
        assertThat(live()).isEqualTo(before);
        assertServedByExactlyOne(before);
        assertThat(running("b")).isFalse();
        OpsChild releases = ops("releases");
        releases.await(DEPLOY);
        assertThat(releases.output()).containsPattern("1\\.4\\.0-\\w{8} +failed");
    }

    @Test
    @Order(3)
    void aMigrationThatBreaksTheLiveReleaseIsRefused() throws Exception {
        String before = live();
        OpsChild deploy = ops("deploy", breaking.toString());
        assertThat(deploy.await(DEPLOY)).isEqualTo(65);
        assertThat(deploy.output()).contains("V901__drop_deploy_notes.sql:2: drops column page_view_daily.deploy_note").contains("--allow-breaking");
        assertThat(live()).isEqualTo(before);
        assertServedByExactlyOne(before);
        assertThat(Databases.queryLong(database, "SELECT count(*) FROM flyway_schema_history"
                + " WHERE version::int >= 900")).isZero();
    }

    @Test
    @Order(4)
    void aDeployKilledBeforeTheSwitchLeavesTheOldReleaseServingAndTheNextOneCompletes() throws Exception {
        String before = live();
        ops("deploy", releaseB.toString()).killAt("Starting 1.1.0-", DEPLOY);
        assertServedByExactlyOne(before);
        deployCompletes(releaseB, "1.1.0-");
    }

    @Test
    @Order(5)
    void aDeployKilledDuringTheSwitchLeavesOneReleaseServingAndTheNextOneCompletes() throws Exception {
        Path marker = work.resolve("reloading");
        Path bin = slowReloadingNginx(marker);
        Map<String, String> environment = new HashMap<>(ENVIRONMENT);
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
        java.util.Set<Long> workers = nginxWorkers();
        OpsChild deploy = OpsChild.start(work.resolve("ops-switch.out"), environment, "deploy", releaseA.toString(),
                "--config", config.toString());
        deploy.killWhen(marker, DEPLOY);
        Files.delete(marker);
        awaitReloaded(bin, workers);
        assertServedByExactlyOne(null);
        deployCompletes(releaseA, "1.0.0-");
    }

    @Test
    @Order(6)
    void aDeployKilledDuringTheDrainLeavesTheNewReleaseServingAndTheNextOneCompletes() throws Exception {
        ops("deploy", releaseB.toString()).killAt("Draining", DEPLOY);
        assertThat(live()).startsWith("1.1.0-");
        assertServedByExactlyOne(live());
        deployCompletes(releaseA, "1.0.0-");
    }

    @Test
    @Order(7)
    void aRollbackAcrossACompatibleMigrationRunsTheOlderReleaseOnTheNewerSchema() throws Exception {
        deployCompletes(compatible, "1.2.0-");
        OpsChild rollback = ops("rollback");
        assertThat(rollback.await(DEPLOY)).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains("Rolled back to 1.0.0-");
        assertThat(live()).startsWith("1.0.0-");
        assertServedByExactlyOne(live());
        assertThat(Databases.queryLong(database, "SELECT count(*) FROM information_schema.columns"
                + " WHERE table_name = 'page_view_daily' AND column_name = 'deploy_note'")).isEqualTo(1);
    }

    @Test
    @Order(8)
    void aBreakingReleaseRunsUnderMaintenanceAndARollbackPastItNamesThePreDeployBackup() throws Exception {
        OpsChild deploy = ops("deploy", breaking.toString(), "--allow-breaking");
        assertThat(deploy.await(DEPLOY)).as(deploy.output()).isZero();
        assertThat(deploy.output()).contains("Backup ").contains("Maintenance on").contains("Maintenance off")
                .contains("Deployed 1.3.0-");
        assertServedByExactlyOne(live());
        assertThat(get("/").headers().firstValue("Retry-After")).isEmpty();
        assertThat(Databases.queryLong(database, "SELECT count(*) FROM information_schema.columns"
                + " WHERE table_name = 'page_view_daily' AND column_name = 'deploy_note'")).isZero();

        OpsChild rollback = ops("rollback");
        assertThat(rollback.await(DEPLOY)).as(rollback.output()).isEqualTo(65);
        assertThat(rollback.output()).contains("cannot run on the schema")
                .contains("V901__drop_deploy_notes.sql:2: drops column page_view_daily.deploy_note")
                .containsPattern("ops backup restore \\d{8}T\\d{6}Z-pre-deploy --to \"\\$DATABASE_URL\" --force");
        assertThat(live()).startsWith("1.3.0-");
        assertServedByExactlyOne(live());
    }

    @Test
    @Order(9)
    void aDryRunFromStandardInputSaysWhatWouldHappenAndChangesNothing() throws Exception {
        Path archive = Releases.variant(Releases.built(), work.resolve("e.tar.gz"), "1.5.0", null);
        String before = live();
        OpsChild dryRun = OpsChild.start(work.resolve("ops-dry-run.out"), ENVIRONMENT, archive, "deploy", "-",
                "--dry-run", "--config", config.toString());
        assertThat(dryRun.await(DEPLOY)).as(dryRun.output()).isZero();
        assertThat(dryRun.output()).containsPattern("The archive holds 1\\.5\\.0-\\w{8}")
                .contains("No migration pending").contains("would start in slot").contains("nothing was changed");
        assertThat(live()).isEqualTo(before);
        try (var releases = Files.list(install.resolve("releases"))) {
            assertThat(releases.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("1.5.0")
                    || name.startsWith(".incoming"));
        }
    }

    private static void deployCompletes(Path archive, String version) throws Exception {
        OpsChild deploy = ops("deploy", archive.toString());
        assertThat(deploy.await(DEPLOY)).as(deploy.output()).isZero();
        assertThat(live()).startsWith(version);
        assertServedByExactlyOne(live());
        assertThat(running("a") && running("b")).as("both slots still running after the deploy").isFalse();
    }

    /**
     * nginx points at one slot, whose instance answers every request sent through nginx, and the other slot's
     * instance (if one runs) gets none of them.
     */
    private static void assertServedByExactlyOne(String release) throws Exception {
        List<String> upstream = new NginxTrafficProbe(install, config).upstream();
        assertThat(upstream).hasSize(1);
        String slot = upstream.get(0).endsWith(":" + SLOTS.get("a")[0]) ? "a" : "b";
        String other = slot.equals("a") ? "b" : "a";
        assertThat(running(slot)).as("the instance nginx points at runs").isTrue();
        long servedBefore = served(slot);
        long otherBefore = served(other);
        for (int i = 0; i < 30; i++) { // a page the page cache does not answer, so the instance's counter sees it
            assertThat(get("/login").statusCode()).isEqualTo(200);
        }
        // The request timer counts a request as it completes, which may come just after the client has the last
        // byte of the answer (CI once read 29 of 30 at once), so the count is given a moment to arrive.
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (served(slot) - servedBefore < 30 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(served(slot) - servedBefore).as("requests slot %s (admin port %d) answered, of 30 sent through"
                + " nginx", slot, SLOTS.get(slot)[1]).isGreaterThanOrEqualTo(30);
        assertThat(served(other)).isEqualTo(otherBefore);
        if (release != null) {
            assertThat(LiveState.read(install).map(LiveState::slot)).contains(slot);
        }
    }

    /** Requests the slot's instance has answered, from its admin port's metrics (0 when none runs). */
    private static long served(String slot) throws Exception {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + SLOTS.get(slot)[1] + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body()).path("timers")
                    .path("io.dropwizard.jetty.MutableServletContextHandler.requests").path("count").asLong();
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean running(String slot) throws IOException {
        Path pid = install.resolve("instances/" + slot + ".pid");
        return Files.exists(pid) && ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                .map(ProcessHandle::isAlive).orElse(false);
    }

    private static String live() {
        return LiveState.read(install).map(LiveState::release).orElse("");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginxPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static OpsChild ops(String... arguments) throws IOException {
        String[] withConfig = java.util.Arrays.copyOf(arguments, arguments.length + 2);
        withConfig[arguments.length] = "--config";
        withConfig[arguments.length + 1] = config.toString();
        return OpsChild.start(work.resolve("ops-" + arguments[0] + ".out"), ENVIRONMENT, withConfig);
    }

    /** A stand-in nginx first on PATH: the real one, but a reload signals {@code marker} and takes two seconds. */
    private static Path slowReloadingNginx(Path marker) throws IOException {
        Path bin = Files.createDirectories(work.resolve("slow-nginx"));
        Path script = bin.resolve("nginx");
        Files.writeString(script, "#!/bin/sh\ncase \" $* \" in *\" -s reload \"*) touch " + marker
                + "; sleep 2;; esac\nexec " + Nginx.binary() + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** The local nginx's worker processes now. */
    private static java.util.Set<Long> nginxWorkers() throws IOException {
        long master = Long.parseLong(Files.readString(install.resolve("nginx/nginx.pid")).strip());
        return ProcessHandle.of(master).orElseThrow().children().map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Waits until the stand-in from {@code bin} has sent its reload and the workers from before it are gone. */
    private static void awaitReloaded(Path bin, java.util.Set<Long> workersBefore) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end && (ProcessHandle.allProcesses().anyMatch(process -> process.info()
                .commandLine().map(line -> line.contains(bin.toString())).orElse(false))
                || workersBefore.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                        .orElse(false)))) {
            Thread.sleep(50);
        }
    }

    /** Reads the upstream include as ops does. */
    private record NginxTrafficProbe(Path install, Path config) {
        List<String> upstream() throws Exception {
            return dev.athanor.ops.nginx.NginxControl.of(dev.athanor.ops.shared.ConfigOption.of(config).load())
                    .upstream();
        }
    }
}
