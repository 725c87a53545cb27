package dev.athanor.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.Http;
import dev.athanor.testing.RequestHeaders;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestS3;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.core.Response;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Media in an S3-compatible bucket (S3Proxy): stored once by content, delivered through short-lived signed URLs. */
class S3MediaTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static TestS3 s3;
    private static Media media;
    private static Jdbi jdbi;

    @BeforeAll
    static void startS3() {
        s3 = TestS3.start();
        s3.createBucket("media-bucket");
        new Migrations(DATABASE.dataSource()).migrate();
        jdbi = Database.jdbi(DATABASE.dataSource());
        MediaFactory factory = Jackson.newObjectMapper().convertValue(Map.of("storage", "s3", "s3", Map.of(
                "endpoint", s3.endpoint().toString(), "region", TestS3.REGION, "bucket", "media-bucket",
                "prefix", "site", "pathStyle", true, "accessKey", TestS3.ACCESS_KEY,
                "secretKey", TestS3.SECRET_KEY)), MediaFactory.class);
        media = factory.build(jdbi);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Test
    void aVideoIsStoredOnceAndReachesViewersThroughASignedUrl() throws Exception {
        byte[] bytes = Files.readAllBytes(ContentFolderBuilder.DEMO_VIDEO);
        Video video = jdbi.inTransaction(handle -> media.registerVideo(handle, ContentFolderBuilder.DEMO_VIDEO,
                OptionalInt.empty()));
        Video again = jdbi.inTransaction(handle -> media.registerVideo(handle, ContentFolderBuilder.DEMO_VIDEO,
                OptionalInt.empty()));

        assertThat(again.id()).isEqualTo(video.id());
        assertThat(video.durationSeconds()).isEqualTo(12);
        assertThat(video.sizeBytes()).isEqualTo(bytes.length);
        try (S3Client client = s3.client()) {
            assertThat(client.listObjectsV2(list -> list.bucket("media-bucket")).contents())
                    .singleElement().satisfies(object -> {
                        assertThat(object.key()).isEqualTo("site/" + video.key());
                        assertThat(object.size()).isEqualTo(bytes.length);
                    });
        }

        AtomicLong sent = new AtomicLong();
        Response response = media.deliver(video, "GET", RequestHeaders.of(Map.of("Range", "bytes=100-")), sent::set);
        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(sent.get()).as("the bucket sends the range asked for").isEqualTo(bytes.length - 100);
        assertThat(response.getHeaderString("Cache-Control")).isEqualTo("no-store");
        String signed = response.getLocation().toString();
        assertThat(signed).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");

        HttpResponse<byte[]> fetched = Http.getBytes(signed);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);
        HttpResponse<byte[]> tampered = Http.getBytes(signed.replace("X-Amz-Expires=300", "X-Amz-Expires=99999"));
        assertThat(tampered.statusCode()).as("the signature covers the lifetime").isEqualTo(403);
    }

    @Test
    void behindACdnTheSignedUrlNamesTheCdnAndTheBucketsOwnPathAndSignature() throws Exception {
        Map<String, Object> bucket = Map.of("endpoint", "https://fra1.digitaloceanspaces.com", "region", "fra1",
                "bucket", "media-bucket", "prefix", "site", "accessKey", TestS3.ACCESS_KEY,
                "secretKey", TestS3.SECRET_KEY);
        Map<String, Object> withCdn = new java.util.HashMap<>(bucket);
        withCdn.put("cdnHost", "media-bucket.fra1.cdn.digitaloceanspaces.com");
        MediaFactory direct = Jackson.newObjectMapper().convertValue(Map.of("storage", "s3", "s3", bucket),
                MediaFactory.class);
        MediaFactory cdn = Jackson.newObjectMapper().convertValue(Map.of("storage", "s3", "s3", withCdn),
                MediaFactory.class);

        java.net.URI origin = new S3MediaStore(direct.getS3()).temporaryUrl("videos/a.mp4",
                java.time.Duration.ofMinutes(5)).orElseThrow();
        java.net.URI edge = new S3MediaStore(cdn.getS3()).temporaryUrl("videos/a.mp4",
                java.time.Duration.ofMinutes(5)).orElseThrow();

        assertThat(origin.getHost()).isEqualTo("media-bucket.fra1.digitaloceanspaces.com");
        assertThat(edge.getScheme()).isEqualTo("https");
        assertThat(edge.getHost()).isEqualTo("media-bucket.fra1.cdn.digitaloceanspaces.com");
        assertThat(edge.getRawPath()).isEqualTo(origin.getRawPath()).isEqualTo("/site/videos/a.mp4");
        assertThat(edge.getRawQuery()).contains("X-Amz-Signature=", "X-Amz-SignedHeaders=host", "X-Amz-Expires=300");
        assertThat(cdn.deliveryOrigins()).as("the page's media-src").containsExactly(
                "https://media-bucket.fra1.cdn.digitaloceanspaces.com");
        assertThat(cdn.isCdnHostUsable()).isTrue();

        withCdn.put("pathStyle", true);
        assertThat(Jackson.newObjectMapper().convertValue(Map.of("storage", "s3", "s3", withCdn), MediaFactory.class)
                .isCdnHostUsable()).as("a path-style URL does not pass a CDN with its signature").isFalse();
        withCdn.put("pathStyle", false);
        withCdn.put("cdnHost", "https://cdn.example.com/videos");
        assertThat(Jackson.newObjectMapper().convertValue(Map.of("storage", "s3", "s3", withCdn), MediaFactory.class)
                .isCdnHostUsable()).isFalse();
    }
}
