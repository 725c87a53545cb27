package dev.athanor.media;

import dev.athanor.platform.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Media in an S3-compatible bucket. Viewers never stream through the site: after the access check they get a
 * short-lived signed URL and fetch the file from the bucket (or the CDN in front of it).
 */
final class S3MediaStore implements MediaStore {

    private final S3Client client;
    private final S3Presigner presigner;
    private final String cdnHost;
    private final String bucket;
    private final String prefix;

    S3MediaStore(S3Settings settings) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.getAccessKey(), settings.getSecretKey()));
        S3Configuration s3 = S3Configuration.builder().pathStyleAccessEnabled(settings.isPathStyle()).build();
        Region region = Region.of(settings.getRegion());
        URI endpoint = URI.create(settings.getEndpoint());
        // Checksums only where S3 requires them: several S3-compatible services (Spaces among them) reject the
        // trailing checksums that the SDK now adds by default.
        this.client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .endpointOverride(endpoint).credentialsProvider(credentials).serviceConfiguration(s3)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        this.presigner = S3Presigner.builder().region(region).endpointOverride(endpoint)
                .credentialsProvider(credentials).serviceConfiguration(s3).build();
        this.cdnHost = settings.getCdnHost();
        this.bucket = settings.getBucket();
        this.prefix = settings.getPrefix().isEmpty() || settings.getPrefix().endsWith("/")
                ? settings.getPrefix() : settings.getPrefix() + "/";
    }

    @Override
    public StoredFile store(Path source, String folder, String contentType) throws IOException {
        String sha256 = Sha256.hex(source);
        String key = folder + "/" + sha256 + LocalMediaStore.extension(source);
        long size = Files.size(source);
        try {
            if (!contains(key)) {
                client.putObject(put -> put.bucket(bucket).key(prefix + key).contentType(contentType)
                        .contentLength(size), RequestBody.fromFile(source));
            }
        } catch (S3Exception e) {
            throw new IOException("could not store " + key + " in bucket " + bucket + ": "
                    + e.awsErrorDetails().errorMessage(), e);
        }
        return new StoredFile(key, size, sha256, contentType);
    }

    @Override
    public Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<URI> temporaryUrl(String key, Duration lifetime) {
        var request = presigner.presignGetObject(presign -> presign.signatureDuration(lifetime)
                .getObjectRequest(get -> get.bucket(bucket).key(prefix + key)));
        try {
            URI signed = request.url().toURI();
            // Signed for the bucket's own host; the CDN passes the request on to it unchanged, so only the host
            // the viewer's browser asks differs.
            return Optional.of(cdnHost.isEmpty() ? signed : URI.create(signed.getScheme() + "://" + cdnHost
                    + signed.getRawPath() + "?" + signed.getRawQuery()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK signed a URL that is not a URI: " + request.url(), e);
        }
    }

    @Override
    public boolean contains(String key) throws IOException {
        try {
            client.headObject(head -> head.bucket(bucket).key(prefix + key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("could not read bucket " + bucket + ": " + e.getMessage(), e);
        }
    }
}
