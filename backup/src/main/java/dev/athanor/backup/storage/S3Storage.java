package dev.athanor.backup.storage;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.athanor.backup.Background;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups in an S3-compatible bucket (Amazon S3, DigitalOcean Spaces, MinIO, ...) under a prefix, through the AWS
 * SDK's synchronous client. Large objects go up as multipart uploads of fixed-size parts, a few in flight at once, so
 * memory stays at (concurrency + 1) parts whatever the archive's size; the SDK retries a failed request (a part, the
 * completion) with backoff before the upload gives up and is aborted.
 *
 * <p>The SDK's newer default integrity checks (CRC trailers on every upload) are asked for only where S3 requires
 * them: several S3-compatible services reject them. Integrity is ours to check anyway: each part is sent with its
 * length, the completed object's size is compared with what was written, and the manifest carries a SHA-256.
 */
public final class S3Storage implements BackupStorage {

    /**
     * How to reach the bucket; secrets come from the environment through config.yml.
     *
     * @param maxAttempts tries per request
     * @param requestTimeout the longest one try may take (connecting within at most 10 seconds of it)
     */
    public record Settings(Optional<URI> endpoint, String region, String bucket, String prefix, boolean pathStyle,
            Optional<String> accessKeyId, Optional<String> secretAccessKey, int partSize, int concurrency,
            int maxAttempts, Duration requestTimeout) {

        /** For uploads: a part may take up to five minutes. */
        public static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(5);

        public Settings(Optional<URI> endpoint, String region, String bucket, String prefix, boolean pathStyle,
                Optional<String> accessKeyId, Optional<String> secretAccessKey, int partSize, int concurrency,
                int maxAttempts) {
            this(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey, partSize, concurrency,
                    maxAttempts, UPLOAD_TIMEOUT);
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    /** Started by the first need, then shared; null until then. */
    private CompletableFuture<S3Client> client;
    private boolean closed;
    private final Settings settings;

    public S3Storage(Settings settings) {
        this.settings = settings;
    }

    private static S3Client build(Settings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.concurrency() + 2)
                        .connectionTimeout(shorter(CONNECT_TIMEOUT, settings.requestTimeout()))
                        .socketTimeout(shorter(SOCKET_TIMEOUT, settings.requestTimeout())))
                .overrideConfiguration(override -> override
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts()).build())
                        .apiCallAttemptTimeout(settings.requestTimeout()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public StorageUpload upload(String name) throws StorageException {
        return S3Upload.start(this::client, settings.bucket(), key(name), settings.partSize(),
                settings.concurrency());
    }

    @Override
    public void put(String name, byte[] content) throws StorageException {
        try {
            client().putObject(request -> request.bucket(settings.bucket()).key(key(name))
                    .contentType(name.endsWith(".json") ? "application/json" : "application/octet-stream"),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw new StorageException("could not write " + where(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String name) throws StorageException {
        try {
            ResponseBytes<GetObjectResponse> bytes = client().getObjectAsBytes(
                    request -> request.bucket(settings.bucket()).key(key(name)));
            return Optional.of(bytes.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new StorageException("could not read " + where(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String name) throws StorageException {
        try {
            return client().getObject(request -> request.bucket(settings.bucket()).key(key(name)));
        } catch (NoSuchKeyException e) {
            throw new StorageException(where(name) + ": no such object", e);
        } catch (SdkException e) {
            throw new StorageException("could not read " + where(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> list() throws StorageException {
        List<StoredObject> objects = new ArrayList<>();
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(settings.bucket())
                .prefix(settings.prefix());
        try {
            String token = null;
            do {
                ListObjectsV2Response page = client().listObjectsV2(request.continuationToken(token).build());
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(settings.prefix().length());
                    if (!name.isEmpty() && !name.contains("/")) {
                        objects.add(new StoredObject(name, object.size(), object.lastModified()));
                    }
                }
                if (Boolean.TRUE.equals(page.isTruncated()) && page.nextContinuationToken() == null) {
                    throw new StorageException("the listing of " + where("") + " was cut short without a way on");
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
            return objects;
        } catch (SdkException e) {
            throw new StorageException("could not list " + where("") + ": " + e.getMessage(), e);
        }
    }

    /** The incomplete multipart uploads under the prefix, each with the size and time of the parts it holds. */
    @Override
    public List<UnfinishedUpload> unfinished() throws StorageException {
        List<UnfinishedUpload> uploads = new ArrayList<>();
        try {
            for (MultipartUpload upload : client().listMultipartUploadsPaginator(request -> request
                    .bucket(settings.bucket()).prefix(settings.prefix())).uploads()) {
                String name = upload.key().substring(settings.prefix().length());
                if (name.isEmpty() || name.contains("/")) {
                    continue;
                }
                long bytes = 0;
                java.time.Instant lastWritten = upload.initiated();
                try {
                    for (Part part : client().listPartsPaginator(request -> request.bucket(settings.bucket())
                            .key(upload.key()).uploadId(upload.uploadId())).parts()) {
                        bytes += part.size() == null ? 0 : part.size();
                        if (part.lastModified() != null && part.lastModified().isAfter(lastWritten)) {
                            lastWritten = part.lastModified();
                        }
                    }
                } catch (S3Exception e) {
                    if (!isNoSuchUpload(e)) {
                        throw e;
                    }
                    continue; // completed or aborted meanwhile
                }
                uploads.add(new UnfinishedUpload(name, bytes, lastWritten, upload.uploadId()));
            }
            return uploads;
        } catch (SdkException e) {
            throw new StorageException("could not list the incomplete uploads in " + where("") + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void discard(UnfinishedUpload upload) throws StorageException {
        try {
            client().abortMultipartUpload(request -> request.bucket(settings.bucket()).key(key(upload.name()))
                    .uploadId(upload.handle()));
        } catch (S3Exception e) {
            if (!isNoSuchUpload(e)) {
                throw new StorageException("could not abort the upload of " + where(upload.name()) + ": "
                        + e.getMessage(), e);
            }
        } catch (SdkException e) {
            throw new StorageException("could not abort the upload of " + where(upload.name()) + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean isNoSuchUpload(S3Exception e) {
        return e.statusCode() == 404 || (e.awsErrorDetails() != null
                && "NoSuchUpload".equals(e.awsErrorDetails().errorCode()));
    }

    @Override
    public void checkAccess() throws StorageException {
        try {
            client().headBucket(request -> request.bucket(settings.bucket()));
        } catch (S3Exception e) {
            String problem = switch (e.statusCode()) {
                case 403 -> "refuses our credentials (HTTP 403)";
                case 404 -> "does not exist (HTTP 404)";
                case 301, 400 -> "answers HTTP " + e.statusCode() + ": wrong region or endpoint?";
                default -> "answers HTTP " + e.statusCode();
            };
            throw new StorageException(describe() + " " + problem, e);
        } catch (SdkException e) {
            throw new StorageException(describe() + " cannot be reached: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String name) throws StorageException {
        try {
            client().deleteObject(request -> request.bucket(settings.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw new StorageException("could not delete " + where(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + "/" + settings.prefix()
                + settings.endpoint().map(endpoint -> " at " + endpoint).orElse("");
    }

    @Override
    public void close() {
        CompletableFuture<S3Client> started;
        synchronized (this) {
            closed = true;
            started = client;
        }
        if (started != null) {
            started.whenComplete((built, failed) -> {
                if (built != null) {
                    built.close();
                }
            });
        }
    }

    /**
     * Starts building the client, if nothing has yet, on a thread of its own. Building it loads a few thousand of
     * the SDK's classes (a third of a second or more on a small server); a backup asks for it once pg_dump runs, so
     * that the two do not share the processor while pg_dump starts.
     */
    private synchronized CompletableFuture<S3Client> clientFuture() {
        if (closed) {
            // a client built now would never be closed (work left running after a failure can still ask)
            throw SdkClientException.create("the storage " + where("") + " is closed");
        }
        if (client == null) {
            client = Background.supply("s3-client-setup", () -> build(settings));
        }
        return client;
    }

    /** The client, once built; a failure to build it is an {@link SdkException} like any other. */
    private S3Client client() {
        try {
            return clientFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SdkException sdk) {
                throw sdk;
            }
            throw SdkClientException.create("the S3 client could not be set up: " + e.getCause(), e.getCause());
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private String key(String name) {
        return settings.prefix() + name;
    }

    private String where(String name) {
        return "s3://" + settings.bucket() + "/" + key(name);
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        if (settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                    settings.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
