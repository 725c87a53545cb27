package dev.athanor.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.testing.FaultInjectingProxy;
import dev.athanor.backup.testing.TestS3;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Multipart uploads against a real S3-compatible server, with a proxy in front that fails requests: a part that fails
 * is retried and the object is whole; failures that persist fail the upload cleanly, leaving no object and no open
 * multipart upload; a completion answered "200 with an error body" is a failure, not a success.
 */
class S3StorageTest {

    private static final int PART = 5 * 1024 * 1024;

    private static TestS3 s3;
    private static S3Client direct;
    private FaultInjectingProxy proxy;
    private S3Storage storage;
    private String prefix;

    @BeforeAll
    static void startServer() {
        s3 = TestS3.start();
        direct = s3.client();
    }

    @AfterAll
    static void stopServer() {
        direct.close();
        s3.close();
    }

    @BeforeEach
    void startProxy(org.junit.jupiter.api.TestInfo test) throws Exception {
        proxy = new FaultInjectingProxy(s3.endpoint());
        prefix = test.getTestMethod().orElseThrow().getName() + "/";
        storage = new S3Storage(s3.settings(proxy.endpoint(), prefix, PART, 4));
    }

    @AfterEach
    void stopProxy() {
        storage.close();
        proxy.close();
    }

    @Test
    void aStreamedUploadArrivesWholeInParts() throws Exception {
        byte[] content = random(2 * PART + 12345);

        long size = upload("archive.dump", content);

        assertThat(size).isEqualTo(content.length);
        assertThat(proxy.partUploads()).isEqualTo(3);
        assertThat(storage.list()).extracting(StoredObject::name, StoredObject::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("archive.dump", (long) content.length));
        try (InputStream stored = storage.open("archive.dump")) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void failedPartsAreRetriedAndTheObjectIsWhole() throws Exception {
        byte[] content = random(3 * PART + 7);
        // The first attempt of every part fails; the retry of each succeeds.
        java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        proxy.failPartUploads((request, seenBefore) -> failedOnce.add(
                request.query().replaceAll(".*partNumber=(\\d+).*", "$1")));

        upload("archive.dump", content);

        assertThat(proxy.failedRequests()).isEqualTo(4);
        assertThat(proxy.partUploads()).isEqualTo(8);
        try (InputStream stored = storage.open("archive.dump")) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void aPartThatKeepsFailingFailsTheUploadAndLeavesNothing() throws Exception {
        proxy.failPartUploads((request, seenBefore) -> seenBefore >= 1);

        assertThatThrownBy(() -> upload("archive.dump", random(3 * PART)))
                .isInstanceOf(StorageException.class).hasMessageContaining("archive.dump");

        assertThat(proxy.failedRequests()).as("the failing part was tried 4 times").isGreaterThanOrEqualTo(4);
        assertThat(storage.list()).isEmpty();
        assertThat(direct.listMultipartUploads(request -> request.bucket(TestS3.BUCKET).prefix(prefix)).uploads())
                .as("the multipart upload was aborted").isEmpty();
    }

    @Test
    void aCompletionAnsweredWithAnErrorBodyIsAFailure() throws Exception {
        proxy.completeWithErrorBody(true);

        assertThatThrownBy(() -> upload("archive.dump", random(PART + 1)))
                .isInstanceOf(StorageException.class).hasMessageContaining("internal error")
                .hasMessageContaining("Status Code: 200");

        assertThat(proxy.completions()).as("the SDK retried the completion").isGreaterThan(1);
        assertThat(storage.list()).isEmpty();
    }

    @Test
    void anUploadThatCannotBeCreatedFailsWithItsReasonAndLeavesNothing() throws Exception {
        // The upload is created while the first part fills: its failure shows at the next write or the completion.
        S3Storage.Settings settings = s3.settings(proxy.endpoint(), prefix, PART, 2);
        try (S3Storage missing = new S3Storage(new S3Storage.Settings(settings.endpoint(), settings.region(),
                "no-such-bucket", prefix, settings.pathStyle(), settings.accessKeyId(), settings.secretAccessKey(),
                PART, 2, 2))) {
            storage.close();
            storage = missing;

            assertThatThrownBy(() -> upload("archive.dump", random(3 * PART)))
                    .isInstanceOfAny(java.io.IOException.class, StorageException.class)
                    .hasMessageStartingWith("could not start uploading s3://no-such-bucket/" + prefix + "archive.dump")
                    .hasMessageContaining("404");
            assertThatThrownBy(() -> upload("small.dump", random(10)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("could not start uploading s3://no-such-bucket/" + prefix + "small.dump");
        }
        storage = new S3Storage(s3.settings(proxy.endpoint(), prefix, PART, 4));
        assertThat(proxy.partUploads()).as("no part was sent without an upload").isZero();
        assertThat(storage.list()).isEmpty();
    }

    @Test
    void aListingThatFailsIsAnErrorNotAnEmptyList() throws Exception {
        storage.put("a.manifest.json", "{}".getBytes());
        proxy.failListings(true);

        assertThatThrownBy(() -> storage.list()).isInstanceOf(StorageException.class)
                .hasMessageContaining("could not list");
    }

    @Test
    void smallObjectsRoundTripAndMissingOnesAreEmpty() throws Exception {
        storage.put("x.json", "{\"a\":1}".getBytes());

        assertThat(storage.get("x.json")).hasValueSatisfying(bytes -> assertThat(new String(bytes))
                .isEqualTo("{\"a\":1}"));
        assertThat(storage.get("missing.json")).isEmpty();
        storage.delete("x.json");
        storage.delete("x.json");
        assertThat(storage.list()).isEmpty();
    }

    @Test
    void aClosedStorageSetsUpNoClient() throws Exception {
        storage.close();

        // what a lookup left running after a failed backup would meet: an error, not a client nobody closes
        assertThatThrownBy(() -> storage.list()).isInstanceOf(StorageException.class)
                .hasMessageContaining("is closed");
    }

    private long upload(String name, byte[] content) throws Exception {
        try (StorageUpload upload = storage.upload(name)) {
            for (int offset = 0; offset < content.length; offset += 100_000) {
                upload.write(content, offset, Math.min(100_000, content.length - offset));
            }
            return upload.complete();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
