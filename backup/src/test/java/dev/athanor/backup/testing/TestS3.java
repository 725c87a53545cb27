package dev.athanor.backup.testing;

import dev.athanor.backup.storage.S3Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy in this JVM on a free loopback port, over jclouds' in-memory blob
 * store, with one bucket. {@link #start()} does not check signatures, so a fault-injecting proxy may sit in front of
 * it; {@link #startCheckingSignatures()} checks them as S3 does, and may answer over HTTPS too.
 */
public final class TestS3 implements AutoCloseable {

    public static final String BUCKET = "backups";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;
    private final Optional<URI> secureEndpoint;

    private TestS3(S3Proxy proxy, BlobStoreContext context, URI endpoint, Optional<URI> secureEndpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
        this.secureEndpoint = secureEndpoint;
    }

    /** Starts a server with an empty bucket; waits until it answers. */
    public static TestS3 start() {
        return start(AuthenticationType.NONE);
    }

    /** Starts a server that refuses requests not signed (AWS signature v2 or v4) with this class's keys. */
    public static TestS3 startCheckingSignatures() {
        return start(AuthenticationType.AWS_V2_OR_V4);
    }

    /**
     * As {@link #startCheckingSignatures()}, answering over HTTPS too, on another free port
     * ({@link #secureEndpoint()}), with the key and certificate of a PKCS12 {@code keyStore}: for clients that speak S3
     * only over TLS (pgBackRest).
     */
    public static TestS3 startCheckingSignatures(Path keyStore, String password) {
        return start(AuthenticationType.AWS_V2_OR_V4, Optional.of(keyStore), password);
    }

    private static TestS3 start(AuthenticationType authentication) {
        return start(authentication, Optional.empty(), null);
    }

    private static TestS3 start(AuthenticationType authentication, Optional<Path> keyStore, String password) {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(new Properties()).build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, BUCKET);
        URI endpoint = URI.create("http://127.0.0.1:" + freePort());
        S3Proxy.Builder builder = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(endpoint)
                .awsAuthentication(authentication, ACCESS_KEY, SECRET_KEY).ignoreUnknownHeaders(true);
        // Certificates name localhost, not an address: pgBackRest accepts no IP address in one.
        Optional<URI> secure = keyStore.map(store -> URI.create("https://localhost:" + freePort()));
        if (keyStore.isPresent()) {
            builder.secureEndpoint(URI.create("https://127.0.0.1:" + secure.get().getPort()))
                    .keyStore(keyStore.get().toString(), password);
        }
        S3Proxy proxy = builder.build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("could not start S3Proxy", e);
        }
        return new TestS3(proxy, context, endpoint, secure);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** {@code https://localhost:PORT} when started with a key store. */
    public URI secureEndpoint() {
        return secureEndpoint.orElseThrow(() -> new IllegalStateException("this S3Proxy speaks HTTP only"));
    }

    /** Storage settings for this server (or a proxy in front of it at {@code via}). */
    public S3Storage.Settings settings(URI via, String prefix, int partSize, int maxAttempts) {
        return new S3Storage.Settings(Optional.of(via), "us-east-1", BUCKET, prefix, true, Optional.of(ACCESS_KEY),
                Optional.of(SECRET_KEY), partSize, 2, maxAttempts);
    }

    /** A plain client, straight to the server, for looking at what is stored. */
    public S3Client client() {
        // As in S3Storage: S3Proxy, like several S3-compatible services, rejects the SDK's default CRC trailers.
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build();
    }

    /** Every stored object under {@code prefix}, name to bytes, read from the blob store itself. */
    public java.util.Map<String, byte[]> objects(String prefix) {
        java.util.Map<String, byte[]> objects = new java.util.TreeMap<>();
        org.jclouds.blobstore.BlobStore store = context.getBlobStore();
        String marker = null;
        do {
            org.jclouds.blobstore.options.ListContainerOptions options =
                    org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive().prefix(prefix);
            if (marker != null) {
                options.afterMarker(marker);
            }
            org.jclouds.blobstore.domain.PageSet<? extends org.jclouds.blobstore.domain.StorageMetadata> page =
                    store.list(BUCKET, options);
            for (org.jclouds.blobstore.domain.StorageMetadata entry : page) {
                if (entry.getType() != org.jclouds.blobstore.domain.StorageType.BLOB) {
                    continue;
                }
                try (java.io.InputStream in = store.getBlob(BUCKET, entry.getName()).getPayload().openStream()) {
                    objects.put(entry.getName(), in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return objects;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop S3Proxy", e);
        } finally {
            context.close();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
