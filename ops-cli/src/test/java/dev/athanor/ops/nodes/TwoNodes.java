package dev.athanor.ops.nodes;

import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.nginx.NginxControl;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.FakeStripe;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Two site nodes behind one nginx on one PostgreSQL, as a second server would run them: the packaged release (its
 * {@code athanor.jar} and {@code ops.jar}, each with its unit's JVM flags), a site and a scheduler per node, each node
 * on its own config.yml and data directory but the same database and secrets, media in one S3 bucket (S3Proxy), Stripe
 * faked in the test JVM, and in front the nginx local mode runs, its upstream rendered from node 1's config (its own
 * instance, then {@code nginx.peers}: node 2). Started once for the tests that share it; {@link #close} ends every
 * process it started.
 */
final class TwoNodes implements AutoCloseable {

    static final String PASSWORD = "a long passphrase for two nodes";
    static final String WEBHOOK_SECRET = "whsec_two_nodes";
    private static final String SECRET = "the two nodes share this secret, 32+ characters long";
    private static final Duration READY = Duration.ofSeconds(150);

    final Path work;
    final TestDatabase database;
    final TestS3 s3;
    final FakeStripe stripe;
    final SiteNode first;
    final SiteNode second;
    final Path content;
    private final int nginxPort;
    private NginxControl nginx;

    private TwoNodes(Path work, TestDatabase database, TestS3 s3, FakeStripe stripe, int nginxPort, SiteNode first,
            SiteNode second, Path content) {
        this.work = work;
        this.database = database;
        this.s3 = s3;
        this.stripe = stripe;
        this.nginxPort = nginxPort;
        this.first = first;
        this.second = second;
        this.content = content;
    }

    /** Builds and starts the whole topology; returns once both nodes are ready and nginx proxies to them. */
    static TwoNodes start() throws Exception {
        Path work = TestPostgres.newDirectory("two-nodes");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path release = extract(archive(), work.resolve("release"));
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        TestS3 s3 = TestS3.start();
        FakeStripe stripe = new FakeStripe("sk_test_fake");
        stripe.price("price_monthly", 1500, "usd", "month", "Monthly");
        stripe.price("price_yearly", 15000, "usd", "year", "Yearly");
        int nginxPort = TestPostgres.freePort();
        int[] ports = {TestPostgres.freePort(), TestPostgres.freePort(), TestPostgres.freePort(),
                TestPostgres.freePort()};
        SiteNode first = node("node-1", work, release, database, s3, stripe, nginxPort, ports[0], ports[1], ports[2]);
        SiteNode second = node("node-2", work, release, database, s3, stripe, nginxPort, ports[2], ports[3], ports[0]);
        Path content = work.resolve("content");
        copy(Path.of("..", "content", "demo"), content);
        TwoNodes nodes = new TwoNodes(work, database, s3, stripe, nginxPort, first, second, content);
        try {
            nodes.importContent();
            CompletableFuture<Void> starting = CompletableFuture.allOf(start(first), start(second));
            starting.get();
            nodes.nginx = NginxControl.of(ConfigOption.of(first.config()).load());
            // as ops deploy does on node 1: its live instance, then the peers from its config
            nodes.nginx.switchLocal(first.address());
            stripe.webhooks(nodes.base() + "/stripe/webhook", WEBHOOK_SECRET);
            return nodes;
        } catch (Exception | Error e) {
            nodes.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}: nginx, in front of both nodes. */
    String base() {
        return "http://127.0.0.1:" + nginxPort;
    }

    /** The local nginx's error log: where it says which upstream failed and why. */
    Path nginxErrorLog() {
        return work.resolve("install/nginx/logs/error.log");
    }

    /** The lines the error log gained since {@code offset} that name {@code upstream} ({@code host:port}). */
    List<String> nginxErrors(long offset, String upstream) throws IOException {
        byte[] log = Files.readAllBytes(nginxErrorLog());
        return new String(log, (int) offset, log.length - (int) offset, java.nio.charset.StandardCharsets.UTF_8)
                .lines().filter(line -> line.contains("upstream: \"http://" + upstream + "/")).toList();
    }

    /** The servers nginx's upstream include names, as ops reads it. */
    List<String> upstream() throws Exception {
        return nginx.upstream();
    }

    /** {@code ops content import} of the content folder, with node 1's config, as the operator runs it. */
    OpsRun importContent() {
        OpsRun run = OpsRun.of("content", "import", content.toString(), "--config", first.config().toString());
        if (run.exitCode() != 0) {
            throw new IllegalStateException("ops content import failed: " + run.out() + run.err());
        }
        return run;
    }

    /** {@code ops ARGS --config NODE-1-CONFIG} in the test JVM. */
    OpsRun ops(String... arguments) {
        String[] withConfig = java.util.Arrays.copyOf(arguments, arguments.length + 2);
        withConfig[arguments.length] = "--config";
        withConfig[arguments.length + 1] = first.config().toString();
        return OpsRun.of(withConfig);
    }

    @Override
    public void close() throws Exception {
        try {
            if (nginx != null) {
                nginx.stopLocal(); // SIGTERM to its master, by its pid: it takes its workers with it
            }
        } finally {
            first.close();
            second.close();
            stripe.close();
            s3.close();
        }
    }

    private static CompletableFuture<Void> start(SiteNode node) {
        return CompletableFuture.runAsync(() -> {
            try {
                node.start();
                node.awaitReady(READY);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static SiteNode node(String name, Path work, Path release, TestDatabase database, TestS3 s3,
            FakeStripe stripe, int nginxPort, int port, int adminPort, int peerPort) throws IOException {
        Path directory = Files.createDirectories(work.resolve(name));
        Path config = TestConfig.on(database, directory.resolve("data"))
                .set("ATHANOR_BASE_URL", "http://127.0.0.1:" + nginxPort)
                .set("ATHANOR_SECRET", SECRET)
                .set("DATABASE_POOL_SIZE", "8")
                .set("ATHANOR_CONSOLE_LOG_LEVEL", "WARN")
                .set("ATHANOR_INSTALL_DIR", work.resolve("install").toString())
                .set("ATHANOR_DEPLOY_MODE", "local")
                .set("ATHANOR_LOCAL_NGINX_PORT", Integer.toString(nginxPort))
                .set("ATHANOR_MEDIA_STORAGE", "s3")
                .set("ATHANOR_MEDIA_S3_ENDPOINT", s3.endpoint().toString())
                .set("ATHANOR_MEDIA_S3_BUCKET", TestS3.BUCKET)
                .set("ATHANOR_MEDIA_S3_ACCESS_KEY", TestS3.ACCESS_KEY)
                .set("ATHANOR_MEDIA_S3_SECRET_KEY", TestS3.SECRET_KEY)
                .replace("    pathStyle: false\n", "    pathStyle: true\n")
                .replace("  peers: ${ATHANOR_NGINX_PEERS:-[]}\n", "  peers: [\"127.0.0.1:" + peerPort + "\"]\n")
                .set("STRIPE_SECRET_KEY", "sk_test_fake")
                .set("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
                .set("STRIPE_PRICE_MONTHLY", "price_monthly")
                .set("STRIPE_PRICE_YEARLY", "price_yearly")
                .replace("\nbilling:\n", "\nbilling:\n  apiBase: " + stripe.url() + "\n")
                // a fast schedule on both nodes: two cheap jobs (no certificates to check or renew), each every
                // two seconds, so that one node alone keeps up with them while the other is down
                .section("scheduler", """
                          jobs:
                            certs-check: "0/2 * * * * ?"
                            certs-renew: "1/2 * * * * ?"
                          randomDelays: {}
                          misfireThreshold: 5 seconds
                          checkinInterval: 1 second
                          stopTimeout: 10 seconds
                        """)
                .write(directory);
        return new SiteNode(name, release, config, directory, port, adminPort);
    }

    /** The release archive the build made: failsafe names it in {@code athanor.archive}. */
    private static Path archive() throws IOException {
        String property = System.getProperty("athanor.archive");
        if (property != null && Files.isRegularFile(Path.of(property))) {
            return Path.of(property);
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("athanor-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no release archive in target/: run mvn package"));
        }
    }

    /** The archive's files under {@code target}, without its top directory. */
    private static Path extract(Path archive, Path target) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive),
                1 << 16))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName().substring(entry.getName().indexOf('/') + 1);
                Path file = target.resolve(name).normalize();
                if (!file.startsWith(target)) {
                    throw new IllegalStateException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    try (OutputStream out = Files.newOutputStream(file)) {
                        in.transferTo(out);
                    }
                }
            }
        }
        return target;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
