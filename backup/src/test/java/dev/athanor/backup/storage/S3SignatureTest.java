package dev.athanor.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.testing.TestS3;
import java.io.InputStream;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a server that checks signatures as S3 does (the other storage tests' server does not, so that a
 * fault-injecting proxy can sit in front of it): a multipart upload, signed as the storage's client signs it, is
 * accepted and reads back whole, and a wrong secret is refused, so the server really is checking.
 */
class S3SignatureTest {

    private static final int PART = 5 * 1024 * 1024;

    private static TestS3 s3;

    @BeforeAll
    static void startServer() {
        s3 = TestS3.startCheckingSignatures();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @Test
    void aSignedMultipartUploadIsAcceptedAndReadsBackWhole() throws Exception {
        byte[] content = new byte[2 * PART + 4321];
        new Random(7).nextBytes(content);
        try (S3Storage storage = new S3Storage(s3.settings(s3.endpoint(), "signed/", PART, 1))) {
            try (StorageUpload upload = storage.upload("archive.dump")) {
                upload.write(content, 0, content.length);
                assertThat(upload.complete()).isEqualTo(content.length);
            }
            storage.put("archive.manifest.json", "{}".getBytes());

            try (InputStream stored = storage.open("archive.dump")) {
                assertThat(stored.readAllBytes()).isEqualTo(content);
            }
            assertThat(storage.list()).extracting(StoredObject::name)
                    .containsExactlyInAnyOrder("archive.dump", "archive.manifest.json");
        }
    }

    @Test
    void aWrongSecretIsRefused() {
        S3Storage.Settings right = s3.settings(s3.endpoint(), "signed/", PART, 1);
        S3Storage.Settings wrong = new S3Storage.Settings(right.endpoint(), right.region(), right.bucket(),
                right.prefix(), right.pathStyle(), right.accessKeyId(), Optional.of("not-the-secret"),
                right.partSize(), right.concurrency(), right.maxAttempts());
        try (S3Storage storage = new S3Storage(wrong)) {
            assertThatThrownBy(() -> storage.put("x.json", "{}".getBytes()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("could not write");
        }
    }
}
