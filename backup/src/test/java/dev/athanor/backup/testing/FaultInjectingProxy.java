package dev.athanor.backup.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP proxy in front of a test S3 server that fails chosen requests: answers 500 to some part uploads or
 * listings, or answers CompleteMultipartUpload with 200 and an {@code <Error>} body, as S3 documents it may. Counts
 * what it saw, so tests can tell a retry happened.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    /** Decides whether one request fails; gets the request and how many of its kind were seen before it. */
    public interface Fault {
        boolean fails(Request request, int seenBefore);
    }

    /** A request as the proxy sees it. */
    public record Request(String method, String path, String query) {
        public boolean isPartUpload() {
            return "PUT".equals(method) && query != null && query.contains("partNumber=");
        }

        public boolean isComplete() {
            return "POST".equals(method) && query != null && query.contains("uploadId=");
        }

        public boolean isListing() {
            return "GET".equals(method) && query != null && query.contains("list-type=2");
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect",
            "transfer-encoding", "upgrade", "keep-alive", "te");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private volatile Predicate<Request> failPartUpload = request -> false;
    private volatile Predicate<Request> completeWithError = request -> false;
    private volatile Predicate<Request> failListing = request -> false;
    private final AtomicInteger partUploads = new AtomicInteger();
    private final AtomicInteger failedRequests = new AtomicInteger();
    private final AtomicInteger completions = new AtomicInteger();

    public FaultInjectingProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Part uploads for which {@code fault} says so answer 500 (the n-th part upload seen is passed). */
    public void failPartUploads(Fault fault) {
        AtomicInteger seen = new AtomicInteger();
        failPartUpload = request -> fault.fails(request, seen.getAndIncrement());
    }

    /** Every CompleteMultipartUpload answers 200 with an InternalError body, and completes nothing. */
    public void completeWithErrorBody(boolean enabled) {
        completeWithError = request -> enabled;
    }

    /** Listings answer 500 from the {@code fromPage}-th request on (0: all). */
    public void failListings(boolean enabled) {
        failListing = request -> enabled;
    }

    public int partUploads() {
        return partUploads.get();
    }

    public int failedRequests() {
        return failedRequests.get();
    }

    public int completions() {
        return completions.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery());
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] content = body.readAllBytes();
            if (request.isPartUpload()) {
                partUploads.incrementAndGet();
                if (failPartUpload.test(request)) {
                    failedRequests.incrementAndGet();
                    answer(exchange, 500, error("InternalError", "injected part failure"));
                    return;
                }
            }
            if (request.isListing() && failListing.test(request)) {
                failedRequests.incrementAndGet();
                answer(exchange, 500, error("InternalError", "injected listing failure"));
                return;
            }
            if (request.isComplete()) {
                completions.incrementAndGet();
                if (completeWithError.test(request)) {
                    failedRequests.incrementAndGet();
                    answer(exchange, 200, error("InternalError", "We encountered an internal error."));
                    return;
                }
            }
            forward(exchange, request, content);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange, Request request, byte[] content)
            throws IOException, InterruptedException {
        URI uri = URI.create(target + request.path() + (request.query() == null ? "" : "?" + request.query()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(request.method(), content.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(content));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !":status".equals(name)) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] body = response.body();
        boolean empty = body.length == 0 || "HEAD".equals(request.method());
        if ("HEAD".equals(request.method())) {
            response.headers().firstValue("Content-Length")
                    .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
        }
        exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>test</RequestId><HostId>test</HostId></Error>";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
