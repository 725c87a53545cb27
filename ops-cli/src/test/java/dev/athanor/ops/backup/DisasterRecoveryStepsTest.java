package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.backup.TableCounts;
import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.DocumentedSteps;
import dev.athanor.ops.testing.MachinePostgres;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.ops.testing.TlsFiles;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The "Disaster recovery without Athanor" steps of docs/backups.md, run as written (only their first block, the
 * variables, is the test's own) against a real S3-compatible server over HTTPS that checks signatures, holding real
 * encrypted backups that {@code ops backup run} took of the site's schema, and a fresh PostgreSQL 15 with an admin
 * user and the site's user: with the AWS CLI and with s3cmd in path style, the newest backup comes back with the
 * manifest's row counts, owned by the site's user; a damaged archive fails its check and its decryption and leaves no
 * dump behind.
 */
class DisasterRecoveryStepsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "site/";
    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final String SITE_PASSWORD = "site-secret";

    private static Path directory;
    private static TestS3 s3;
    private static MachinePostgres target;
    private static Path key;
    private static String newest;
    private static String older;

    @BeforeAll
    static void backUpTheSiteAndStartANewServer() throws Exception {
        for (String tool : List.of("/usr/bin/age", "/usr/bin/s3cmd")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed (./dev test installs it)");
        }
        assumeTrue(Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(bin -> Files.isExecutable(Path.of(bin, "aws"))), "the AWS CLI is not installed");
        assumeTrue(Files.isExecutable(MachinePostgres.BIN.resolve("initdb")), "PostgreSQL 15 is not installed");
        directory = TestPostgres.newDirectory("dr-steps");
        TlsFiles tls = TlsFiles.forLocalhost(directory.resolve("tls"));
        s3 = TestS3.startCheckingSignatures(tls.keyStore(), TlsFiles.PASSWORD);

        TestDatabase source = TestPostgres.shared().createDatabase();
        key = directory.resolve("backup.key");
        assertThat(OpsRun.of("backup", "keygen", key.toString()).exitCode()).isZero();
        Path config = TestConfig.on(source, directory).s3(s3.endpoint()).set("ATHANOR_BACKUP_S3_PREFIX", PREFIX)
                .set("ATHANOR_BACKUP_KEY_FILE", key.toString()).write(directory);
        OpsRun migrate = OpsRun.of("db", "migrate", "--config", config.toString());
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        Databases.fillWithContent(source);
        older = backUp(config, "daily");
        Databases.execute(source, "INSERT INTO shop.customers (email) SELECT 'later' || i || '@example.com'"
                + " FROM generate_series(1, 77) i");
        Thread.sleep(1100);
        newest = backUp(config, "manual");

        target = MachinePostgres.create("dr-target").start();
        try (Connection connection = target.connect("postgres"); Statement statement = connection.createStatement()) {
            // as on a managed server: an admin that may create databases and roles but is no superuser
            statement.execute("CREATE ROLE doadmin LOGIN CREATEDB CREATEROLE PASSWORD '" + ADMIN_PASSWORD + "'");
            statement.execute("CREATE ROLE athanor LOGIN PASSWORD '" + SITE_PASSWORD + "'");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (target != null) {
                target.close();
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }

    @Test
    void theFirstBlockSetsEveryVariableTheOthersUse() throws Exception {
        DocumentedSteps steps = steps();
        Set<String> available = new HashSet<>(DocumentedSteps.assigned(steps.blocks().get(0)));
        steps.blocks().forEach(block -> available.addAll(DocumentedSteps.assigned(block)));
        available.add("HOME");

        steps.blocks().forEach(block -> assertThat(available).as(block).containsAll(DocumentedSteps.used(block)));
        assertThat(DocumentedSteps.assigned(variables("x", PREFIX, "y")))
                .as("the test's first block sets what the documented one does")
                .containsAll(DocumentedSteps.assigned(steps.blocks().get(0)));
        assertThat(steps.stepsWith("aws ", true)).hasSize(1);
        assertThat(steps.stepsWith("s3cmd", true)).hasSize(1);
    }

    @Test
    void theAwsCliStepsRestoreTheNewestBackupOwnedByTheSiteUser() throws Exception {
        DocumentedSteps steps = steps();
        Path work = Files.createDirectories(directory.resolve("aws"));

        DocumentedSteps.Run run = DocumentedSteps.run(variables("restored_aws", PREFIX, "unused"),
                steps.stepsWith("s3cmd", false), work, environment(work), Duration.ofSeconds(60));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertRestored("restored_aws", work);
    }

    @Test
    void theS3cmdStepsInPathStyleDoTheSame() throws Exception {
        DocumentedSteps steps = steps();
        Path work = Files.createDirectories(directory.resolve("s3cmd"));

        DocumentedSteps.Run run = DocumentedSteps.run(variables("restored_s3cmd", PREFIX,
                "localhost:" + s3.secureEndpoint().getPort()), steps.stepsWith("aws ", false), work,
                environment(work), Duration.ofSeconds(60));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("download:");
        assertRestored("restored_s3cmd", work);
    }

    @Test
    void aDamagedArchiveFailsItsCheckAndItsDecryptionAndLeavesNoDump() throws Exception {
        try (S3Client client = s3.client()) {
            for (String name : List.of(".manifest.json", ".dump.age")) {
                byte[] bytes = client.getObjectAsBytes(request -> request.bucket(TestS3.BUCKET)
                        .key(PREFIX + newest + name)).asByteArray();
                if (name.endsWith(".age")) {
                    bytes[bytes.length / 2] ^= 0x01;
                }
                client.putObject(request -> request.bucket(TestS3.BUCKET).key("damaged/" + newest + name),
                        RequestBody.fromBytes(bytes));
            }
        }
        DocumentedSteps steps = steps();
        List<String> fetch = steps.stepsWith("aws ", true);
        String check = single(steps, "sha256sum");
        String decrypt = single(steps, "age --decrypt");
        Path checked = Files.createDirectories(directory.resolve("damaged-check"));
        Path decrypted = Files.createDirectories(directory.resolve("damaged-decrypt"));

        DocumentedSteps.Run checkRun = DocumentedSteps.run(variables("unused", "damaged/", "unused"),
                List.of(fetch.get(0), check), checked, environment(checked), Duration.ofSeconds(60));
        DocumentedSteps.Run decryptRun = DocumentedSteps.run(variables("unused", "damaged/", "unused"),
                List.of(fetch.get(0), decrypt), decrypted, environment(decrypted), Duration.ofSeconds(60));

        assertThat(checkRun.exitCode()).as(checkRun.output()).isNotZero();
        assertThat(checkRun.output()).contains("--- step 2").contains("FAILED");
        assertThat(decryptRun.exitCode()).as(decryptRun.output()).isNotZero();
        assertThat(decryptRun.output()).contains("step 2 ended with");
        assertThat(decrypted.resolve(newest + ".dump.age")).as("the damaged archive was fetched").exists();
        assertThat(decrypted.resolve(newest + ".dump")).doesNotExist();
    }

    private void assertRestored(String database, Path work) throws Exception {
        JsonNode manifest = JSON.readTree(work.resolve(newest + ".manifest.json").toFile());
        Map<String, Long> expected = new TreeMap<>();
        manifest.get("tables").fields().forEachRemaining(table -> expected.put(table.getKey(),
                table.getValue().asLong()));
        assertThat(expected).containsKey("public.flyway_schema_history").containsEntry("shop.customers", 5077L);
        try (Connection connection = target.connect(database, "athanor", SITE_PASSWORD);
                Statement statement = connection.createStatement()) {
            assertThat(TableCounts.count(connection)).as("the newest backup, not " + older)
                    .isEqualTo(expected);
            try (ResultSet rows = statement.executeQuery("""
                    SELECT string_agg(n.nspname || '.' || c.relname || ' of ' || pg_get_userbyid(c.relowner), ', ')
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                      AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> 'athanor'::regrole""")) {
                rows.next();
                assertThat(rows.getString(1)).as("relations not owned by the site's user").isNull();
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(expected.get("public.flyway_schema_history"));
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("athanor");
            }
        }
    }

    /** The first block as the test fills it in: this test's bucket over HTTPS, its key file, its new server. */
    private static String variables(String database, String prefix, String hostBucket) {
        return String.join("\n",
                "export AWS_ACCESS_KEY_ID=" + TestS3.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY=" + TestS3.SECRET_KEY,
                "export AWS_DEFAULT_REGION=us-east-1",
                "S3_ENDPOINT=" + (s3 == null ? "" : s3.secureEndpoint()),
                "S3_HOST_BUCKET=" + hostBucket,
                "S3_BUCKET=" + TestS3.BUCKET,
                "S3_PREFIX=" + prefix,
                "AGE_KEY=" + key,
                "export PGHOST=127.0.0.1 PGPORT=" + (target == null ? 0 : target.port()) + " PGSSLMODE=disable",
                "DB_ADMIN=doadmin DB_ADMIN_PASSWORD=" + ADMIN_PASSWORD,
                "DB_USER=athanor DB_PASSWORD=" + SITE_PASSWORD,
                "DB_NAME=" + database);
    }

    /** A home of its own (no ~/.aws or ~/.s3cfg), and the test's CA for both S3 clients. */
    private static Map<String, String> environment(Path work) throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        String ca = directory.resolve("tls").resolve(TlsFiles.CA_FILE).toString();
        return Map.of("HOME", home.toString(), "AWS_CA_BUNDLE", ca, "SSL_CERT_FILE", ca);
    }

    private static String single(DocumentedSteps steps, String word) {
        List<String> blocks = steps.stepsWith(word, true);
        assertThat(blocks).as("blocks with " + word).hasSize(1);
        return blocks.get(0);
    }

    private static DocumentedSteps steps() throws Exception {
        return DocumentedSteps.of("backups.md", "## Disaster recovery without Athanor");
    }

    private static String backUp(Path config, String kind) throws Exception {
        OpsRun run = OpsRun.of("backup", "run", "--kind", kind, "--json", "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out()).get("id").asText();
    }
}
