package dev.athanor.ops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A reverse proxy in front of pebble that adds what pebble 2.4 lacks, at the HTTP level: ACME Renewal Information
 * (a {@code renewalInfo} directory entry and windows the test sets), rate-limit answers (429 with Retry-After) and
 * the rejection of replacement orders. It records each new order: when it came and what it {@code replaces}.
 * Pebble builds its URLs from the Host header, which is passed through, so every URL points back at this proxy.
 */
public final class FakeCaFront implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A new order as the proxy saw it. */
    public record SeenOrder(Instant at, Optional<String> replaces, boolean forwarded) {
    }

    private final HttpsServer server;
    private final HttpClient client;
    private final String pebble;
    private final List<SeenOrder> orders = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile long retryAfterSeconds;
    private volatile boolean rejectReplacements;
    private volatile Instant ariStart;
    private volatile Instant ariEnd;

    public FakeCaFront(TestCa ca, Pebble target) throws Exception {
        this.pebble = "https://127.0.0.1:" + target.port();
        TestCa.Issued tls = ca.issue(List.of("localhost", "127.0.0.1"), Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86400));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", tls.key().getPrivate(), new char[0], tls.chain().toArray(new java.security.cert
                .Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        client = HttpClient.newBuilder().sslContext(ca.trustingContext()).version(HttpClient.Version.HTTP_1_1).build();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", this::handle);
        server.start();
    }

    public String directoryUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/dir";
    }

    /** Publishes renewal information with this window for every certificate. */
    public void renewalWindow(Instant start, Instant end) {
        this.ariStart = start;
        this.ariEnd = end;
    }

    /** The next {@code count} new orders are answered 429 with {@code Retry-After: seconds}. */
    public void rateLimitOrders(int count, long seconds) {
        retryAfterSeconds = seconds;
        rateLimited.set(count);
    }

    /** Orders that name a certificate they replace are refused as already replaced. */
    public void rejectReplacements(boolean reject) {
        rejectReplacements = reject;
    }

    public List<SeenOrder> orders() {
        return new ArrayList<>(orders);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.startsWith("/renewal-info/") && ariStart != null) {
                respond(exchange, 200, "application/json", JSON.writeValueAsBytes(JSON.createObjectNode()
                        .set("suggestedWindow", JSON.createObjectNode().put("start", ariStart.toString())
                                .put("end", ariEnd.toString()))), "21600");
                return;
            }
            if (path.equals("/order-plz")) {
                Optional<String> replaces = replaces(body);
                if (rateLimited.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    orders.add(new SeenOrder(Instant.now(), replaces, false));
                    problem(exchange, 429, "rateLimited", "too many certificates for this name",
                            Long.toString(retryAfterSeconds));
                    return;
                }
                if (rejectReplacements && replaces.isPresent()) {
                    orders.add(new SeenOrder(Instant.now(), replaces, false));
                    problem(exchange, 409, "alreadyReplaced", "the certificate was already replaced", null);
                    return;
                }
                orders.add(new SeenOrder(Instant.now(), replaces, true));
            }
            forward(exchange, path, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange, String path, byte[] body) throws IOException, InterruptedException {
        String query = exchange.getRequestURI().getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pebble + exchange.getRequestURI()
                .getRawPath() + (query == null ? "" : "?" + query)))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Host", "127.0.0.1:" + server.getAddress().getPort());
        for (String name : List.of("Content-Type", "Accept", "Accept-Language", "User-Agent")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] answer = response.body();
        if (path.equals("/dir") && ariStart != null) {
            ObjectNode directory = (ObjectNode) JSON.readTree(answer);
            directory.put("renewalInfo", "https://127.0.0.1:" + server.getAddress().getPort() + "/renewal-info");
            answer = JSON.writeValueAsBytes(directory);
        }
        response.headers().map().forEach((name, values) -> {
            if (!List.of("content-length", "transfer-encoding", "connection", ":status").contains(name
                    .toLowerCase(java.util.Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.statusCode(), head || answer.length == 0 ? -1 : answer.length);
        if (!head && answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private void problem(HttpExchange exchange, int status, String type, String detail, String retryAfter)
            throws IOException, InterruptedException {
        HttpResponse<Void> nonce = client.send(HttpRequest.newBuilder(URI.create(pebble + "/nonce-plz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        nonce.headers().firstValue("Replay-Nonce").ifPresent(value -> exchange.getResponseHeaders()
                .set("Replay-Nonce", value));
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("type", "urn:ietf:params:acme:error:"
                + type).put("detail", detail).put("status", status));
        respond(exchange, status, "application/problem+json", body, retryAfter);
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body, String retryAfter)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The {@code replaces} field of a new-order JWS, if any. */
    private static Optional<String> replaces(byte[] jws) throws IOException {
        JsonNode envelope = JSON.readTree(jws);
        JsonNode payload = JSON.readTree(new String(Base64.getUrlDecoder().decode(envelope.get("payload").asText()),
                StandardCharsets.UTF_8));
        return Optional.ofNullable(payload.get("replaces")).map(JsonNode::asText);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
