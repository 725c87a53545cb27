package dev.athanor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy, run as its own process (it brings its own Jetty) on a free port,
 * keeping objects in its memory, with AWS signature checking on. Stop it with {@link #close}; a JVM
 * shutdown hook stops it too, so no server outlives the test run.
 */
public final class TestS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String REGION = "us-east-1";

    private final Process process;
    private final int port;

    private TestS3(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static TestS3 start() {
        int port = TestPostgres.freePort();
        Path directory = TestPostgres.newDirectory("s3");
        try {
            Path properties = Files.writeString(directory.resolve("s3proxy.properties"), String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=transient", ""));
            Process process = new ProcessBuilder(List.of(javaBinary(), "-Xmx256m", "-jar", jar().toString(),
                    "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("s3proxy.log").toFile())
                    .start();
            TestS3 server = new TestS3(process, port);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-test-s3"));
            server.awaitListening(directory);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client for the server, path-style, with the test credentials. */
    public S3Client client() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(REGION))
                .endpointOverride(endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build();
    }

    public void createBucket(String name) {
        try (S3Client client = client()) {
            client.createBucket(bucket -> bucket.bucket(name));
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitListening(Path directory) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(directory.resolve("s3proxy.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 60 s");
    }

    private static Path jar() {
        for (Path candidate : List.of(Path.of("target", "s3proxy.jar"), Path.of("..", "app", "target", "s3proxy.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("target/s3proxy.jar is missing: the app module's build copies it there");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
