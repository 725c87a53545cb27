package dev.athanor.ops.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in site whose health a test switches: {@code /health} answers as the site's readiness does (200 up, 503
 * down), {@code /healthcheck} as its admin port does. {@link #flapping} makes every readiness answer differ from the
 * one before.
 */
public final class ToggleServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicBoolean flapping = new AtomicBoolean(false);
    private final AtomicInteger polls = new AtomicInteger();

    public ToggleServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/health", exchange -> {
            polls.incrementAndGet();
            boolean answerUp = flapping.get() ? !up.getAndSet(!up.get()) : up.get();
            respond(exchange, answerUp ? 200 : 503, answerUp ? "{\"status\":\"up\"}" : "{\"status\":\"down\"}");
        });
        server.createContext("/healthcheck", exchange -> respond(exchange, 200,
                "{\"database\":{\"healthy\":true,\"message\":\"ok\"}}"));
        server.start();
    }

    public String healthUrl() {
        return base() + "/health";
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void up(boolean isUp) {
        up.set(isUp);
    }

    public void flapping(boolean flap) {
        flapping.set(flap);
    }

    public int polls() {
        return polls.get();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
