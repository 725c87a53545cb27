package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.backup.testing.FaultInjectingProxy;
import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code ops backup prune} on a real S3-compatible server: a listing that fails deletes nothing, a newest attempt
 * that failed deletes nothing, a dry run deletes nothing, and a real run deletes exactly what retention does not keep
 * (the newest of the last days, and always the newest verified backup), saying why for each; the newest pre-deploy
 * backup is kept and older ones deleted, without changing which daily ones are kept.
 */
class BackupPruneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @Test
    void prunesExactlyWhatRetentionDoesNotKeepAndNothingWhenInDoubt() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Databases.execute(database, "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 100)");
        try (TestS3 s3 = TestS3.start(); FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint());
                S3Client direct = s3.client()) {
            Path directory = TestPostgres.newDirectory("prune");
            Path config = TestConfig.on(database, directory)
                    .s3(proxy.endpoint())
                    .set("ATHANOR_BACKUP_S3_PREFIX", "site/")
                    .replace("daily: 7", "daily: 3").replace("weekly: 4", "weekly: 0")
                    .replace("monthly: 12", "monthly: 0")
                    .write(directory);
            OpsRun run = OpsRun.of("backup", "run", "--json", "--config", config.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            String newest = JSON.readTree(run.out()).get("id").asText();
            Instant now = Instant.now();
            for (int daysAgo = 1; daysAgo <= 10; daysAgo++) {
                copyBackup(direct, newest, now.minus(Duration.ofDays(daysAgo)).truncatedTo(ChronoUnit.SECONDS));
            }
            String verifiedOld = id(now.minus(Duration.ofDays(8)));
            put(direct, "site/" + verifiedOld + ".verification.json", "{\"id\":\"" + verifiedOld
                    + "\",\"verifiedAt\":\"" + now + "\",\"passed\":true,\"detail\":\"test\"}");
            Set<String> before = keys(direct);
            assertThat(OpsRun.of("backup", "list", "--config", config.toString()).out().lines().skip(1)).hasSize(11);

            proxy.failListings(true);
            OpsRun listingFails = OpsRun.of("backup", "prune", "--config", config.toString());
            proxy.failListings(false);

            assertThat(listingFails.exitCode()).isEqualTo(1);
            assertThat(listingFails.out()).startsWith("Nothing deleted: the backup listing could not be read");
            assertThat(keys(direct)).isEqualTo(before);

            String failedId = id(now.plusSeconds(5));
            put(direct, "site/" + failedId + ".failed.json", "{\"id\":\"" + failedId + "\",\"kind\":\"daily\","
                    + "\"startedAt\":\"" + now.plusSeconds(5) + "\",\"failedAt\":\"" + now.plusSeconds(6)
                    + "\",\"reason\":\"test\"}");
            OpsRun newestFailed = OpsRun.of("backup", "prune", "--config", config.toString());

            assertThat(newestFailed.exitCode()).isEqualTo(1);
            assertThat(newestFailed.out()).contains("Nothing deleted: the newest backup attempt")
                    .contains("failed; nothing is deleted until a backup succeeds");
            assertThat(keys(direct)).hasSize(before.size() + 1);
            direct.deleteObject(request -> request.bucket(TestS3.BUCKET).key("site/" + failedId + ".failed.json"));

            OpsRun dryRun = OpsRun.of("backup", "prune", "--dry-run", "--config", config.toString());

            assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
            assertThat(keys(direct)).isEqualTo(before);
            List<String> wouldDelete = dryRun.out().lines().filter(line -> line.startsWith("would delete"))
                    .map(line -> line.split("\\s+")[2]).toList();
            Set<String> expectedDeleted = new TreeSet<>();
            for (int daysAgo : new int[] {3, 4, 5, 6, 7, 9, 10}) {
                expectedDeleted.add(id(now.minus(Duration.ofDays(daysAgo))));
            }
            assertThat(wouldDelete).containsExactlyInAnyOrderElementsOf(expectedDeleted);
            assertThat(dryRun.out()).contains("keep         " + verifiedOld + "  (the newest verified backup)")
                    .contains("keep         " + newest + "  (newest of day ");

            OpsRun prune = OpsRun.of("backup", "prune", "--config", config.toString());

            assertThat(prune.exitCode()).as(prune.err()).isZero();
            assertThat(prune.out()).contains("4 kept, 7 deleted.");
            Set<String> remaining = keys(direct).stream().map(key -> key.substring("site/".length(),
                    key.indexOf('.'))).collect(Collectors.toCollection(TreeSet::new));
            assertThat(remaining).doesNotContainAnyElementsOf(expectedDeleted).hasSize(4).contains(newest,
                    verifiedOld);
        }
    }

    @Test
    void keepsTheNewestPreDeployBackupApartFromTheDailyOnes() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Databases.execute(database, "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 100)");
        try (TestS3 s3 = TestS3.start(); S3Client direct = s3.client()) {
            Path directory = TestPostgres.newDirectory("prune-pre-deploy");
            Path config = TestConfig.on(database, directory)
                    .s3(s3.endpoint())
                    .set("ATHANOR_BACKUP_S3_PREFIX", "site/")
                    .replace("daily: 7", "daily: 3").replace("weekly: 4", "weekly: 0")
                    .replace("monthly: 12", "monthly: 0")
                    .write(directory);
            OpsRun run = OpsRun.of("backup", "run", "--kind", "pre-deploy", "--json", "--config", config.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            String newest = JSON.readTree(run.out()).get("id").asText();
            assertThat(newest).endsWith("-pre-deploy");
            assertThat(JSON.readTree(run.out()).get("kind").asText()).isEqualTo("pre-deploy");
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Set<String> daily = new TreeSet<>();
            for (int daysAgo = 1; daysAgo <= 5; daysAgo++) {
                daily.add(copyBackup(direct, newest, now.minus(Duration.ofDays(daysAgo)), "daily"));
            }
            String olderPreDeploy = copyBackup(direct, newest, now.minus(Duration.ofHours(30)), "pre-deploy");
            String oldestPreDeploy = copyBackup(direct, newest, now.minus(Duration.ofHours(80)), "pre-deploy");
            OpsRun list = OpsRun.of("backup", "list", "--config", config.toString());
            assertThat(list.out().lines().filter(line -> line.contains(" pre-deploy "))).hasSize(3);

            OpsRun prune = OpsRun.of("backup", "prune", "--config", config.toString());

            assertThat(prune.exitCode()).as(prune.err()).isZero();
            assertThat(prune.out()).contains("keep         " + newest + "  (the newest pre-deploy backup")
                    .contains("delete       " + olderPreDeploy + "  (a newer pre-deploy backup exists)")
                    .contains("4 kept, 4 deleted.");
            Set<String> remaining = keys(direct).stream().map(key -> key.substring("site/".length(),
                    key.indexOf('.'))).collect(Collectors.toCollection(TreeSet::new));
            List<String> newestThreeDays = daily.stream().sorted(java.util.Comparator.reverseOrder()).limit(3)
                    .toList();
            assertThat(remaining).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.Stream.concat(newestThreeDays.stream(), java.util.stream.Stream.of(newest))
                            .toList());
            assertThat(remaining).doesNotContain(olderPreDeploy, oldestPreDeploy);
        }
    }

    private static String copyBackup(S3Client client, String from, Instant startedAt, String kind) throws Exception {
        String to = ID.format(startedAt) + "-" + kind;
        copy(client, from, to, startedAt, kind);
        return to;
    }

    private static void copyBackup(S3Client client, String from, Instant startedAt) throws Exception {
        copy(client, from, id(startedAt), startedAt, "daily");
    }

    private static void copy(S3Client client, String from, String to, Instant startedAt, String kind)
            throws Exception {
        ObjectNode manifest = (ObjectNode) JSON.readTree(client.getObjectAsBytes(request -> request
                .bucket(TestS3.BUCKET).key("site/" + from + ".manifest.json")).asByteArray());
        manifest.put("id", to);
        manifest.put("kind", kind);
        manifest.put("startedAt", startedAt.toString());
        manifest.put("finishedAt", startedAt.plusSeconds(1).toString());
        manifest.put("archive", to + ".dump");
        client.copyObject(request -> request.sourceBucket(TestS3.BUCKET).sourceKey("site/" + from + ".dump")
                .destinationBucket(TestS3.BUCKET).destinationKey("site/" + to + ".dump"));
        put(client, "site/" + to + ".manifest.json", manifest.toString());
    }

    private static String id(Instant startedAt) {
        return ID.format(startedAt) + (startedAt.isAfter(Instant.now().minusSeconds(60)) ? "-manual" : "-daily");
    }

    private static void put(S3Client client, String key, String json) {
        client.putObject(request -> request.bucket(TestS3.BUCKET).key(key), RequestBody.fromString(json));
    }

    private static Set<String> keys(S3Client client) {
        return client.listObjectsV2(request -> request.bucket(TestS3.BUCKET)).contents().stream()
                .map(S3Object::key).collect(Collectors.toCollection(TreeSet::new));
    }
}
