package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A backup is proven by its restore: a database with several schemas (tables, indexes, a view, sequences, bytea and
 * large objects, and pgbench's tables) is backed up to a real S3-compatible server, encrypted, while pgbench writes
 * to it; restored into an empty database it is consistent as of one instant (pgbench's balances add up, the row
 * counts are the manifest's) and equal to the source in everything pgbench does not touch; backed up again at rest,
 * the restore equals the source in schema and in every table's checksum.
 */
class BackupRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestS3 s3;
    private Process load;

    @BeforeAll
    static void startS3() {
        s3 = TestS3.start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @AfterEach
    void stopLoad() {
        if (load != null && load.isAlive()) {
            load.destroyForcibly();
        }
    }

    @Test
    void aBackupTakenUnderLoadRestoresConsistentAndOneAtRestRestoresEqual() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Path directory = TestPostgres.newDirectory("round-trip");
        Path key = directory.resolve("backup.key");
        assertThat(OpsRun.of("backup", "keygen", key.toString()).exitCode()).isZero();
        Path config = TestConfig.on(source, directory)
                .s3(s3.endpoint())
                .set("ATHANOR_BACKUP_S3_PREFIX", "round-trip/")
                .set("ATHANOR_BACKUP_KEY_FILE", key.toString())
                .write(directory);
        Databases.fillWithContent(source);
        run(Databases.postgresProgram(source, "pgbench", "--initialize", "--scale=2", "--quiet",
                "--foreign-keys", Databases.libpq(source)));

        load = Databases.postgresProgram(source, "pgbench", "--client=2", "--jobs=1", "--time=60", "--no-vacuum",
                Databases.libpq(source)).redirectErrorStream(true)
                .redirectOutput(directory.resolve("pgbench.log").toFile()).start();
        awaitHistory(source, 200);

        OpsRun underLoad = OpsRun.of("backup", "run", "--kind", "daily", "--json", "--config", config.toString());

        assertThat(underLoad.exitCode()).as(underLoad.err()).isZero();
        long historyAfterBackup = Databases.queryLong(source, "SELECT count(*) FROM pgbench_history");
        load.destroy();
        assertThat(load.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode result = JSON.readTree(underLoad.out());
        assertThat(result.get("encrypted").asBoolean()).isTrue();
        JsonNode manifest = manifest(result.get("id").asText());
        assertThat(manifest.at("/tables/public.pgbench_history").asLong()).as("pgbench wrote during the dump")
                .isPositive().isLessThan(historyAfterBackup);

        TestDatabase restored = TestPostgres.shared().createDatabase();
        OpsRun restore = OpsRun.of("backup", "restore", result.get("id").asText(), "--to", Databases.url(restored),
                "--config", config.toString());

        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("checksum verified");
        assertThat(Databases.queryLong(restored, "SELECT count(*) FROM pgbench_history"))
                .isEqualTo(manifest.at("/tables/public.pgbench_history").asLong());
        long accounts = Databases.queryLong(restored, "SELECT sum(abalance) FROM pgbench_accounts");
        assertThat(accounts).as("one instant: every pgbench transaction is in or out as a whole")
                .isEqualTo(Databases.queryLong(restored, "SELECT coalesce(sum(delta), 0) FROM pgbench_history"))
                .isEqualTo(Databases.queryLong(restored, "SELECT sum(tbalance) FROM pgbench_tellers"))
                .isEqualTo(Databases.queryLong(restored, "SELECT sum(bbalance) FROM pgbench_branches"));
        Map<String, String> untouched = Databases.checksums(source);
        untouched.keySet().removeIf(name -> name.contains("pgbench"));
        assertThat(Databases.checksums(restored)).containsAllEntriesOf(untouched);
        assertThat(Databases.schema(restored)).isEqualTo(Databases.schema(source));

        OpsRun atRest = OpsRun.of("backup", "run", "--json", "--config", config.toString());
        assertThat(atRest.exitCode()).as(atRest.err()).isZero();
        TestDatabase second = TestPostgres.shared().createDatabase();
        OpsRun restoreAtRest = OpsRun.of("backup", "restore", JSON.readTree(atRest.out()).get("id").asText(),
                "--to", Databases.url(second), "--config", config.toString());

        assertThat(restoreAtRest.exitCode()).as(restoreAtRest.err()).isZero();
        assertThat(Databases.checksums(second)).isEqualTo(Databases.checksums(source));
        assertThat(Databases.schema(second)).isEqualTo(Databases.schema(source));
        assertThat(Databases.checksums(second).get("large objects")).startsWith("20:");

        OpsRun verify = OpsRun.of("backup", "verify", "--latest", "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("verified").contains("match the manifest");
        OpsRun list = OpsRun.of("backup", "list", "--config", config.toString());
        assertThat(list.out().lines().skip(1)).hasSize(2).first().asString()
                .contains("manual").contains("yes, ").endsWith("yes");
        assertThat(list.out().lines().skip(2).findFirst().orElseThrow()).contains("daily").contains(" no ");
    }

    private static JsonNode manifest(String id) throws Exception {
        try (S3Client client = s3.client()) {
            return JSON.readTree(client.getObjectAsBytes(request -> request.bucket(TestS3.BUCKET)
                    .key("round-trip/" + id + ".manifest.json")).asByteArray());
        }
    }

    private static void awaitHistory(TestDatabase database, long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Databases.queryLong(database, "SELECT count(*) FROM pgbench_history") < rows) {
            assertThat(System.nanoTime()).as("pgbench writes").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void run(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
