package dev.athanor.ops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in site whose health a test sets: {@code /health} answers as the site's readiness does (200 up, 503
 * down, or any status and body given), {@code /healthcheck} as its admin port does. {@link #flapping} makes every
 * readiness answer differ from the one before; {@link #answerAfter} delays the readiness answers.
 */
public final class ToggleServer implements AutoCloseable {

    private static final String UP = "{\"status\":\"up\"}";
    private static final String DOWN = "{\"status\":\"down\"}";

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpServer server;
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicBoolean flapping = new AtomicBoolean(false);
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger adminPolls = new AtomicInteger();
    private volatile int healthStatus = 200;
    private volatile String healthBody = UP;
    private volatile int adminStatus = 200;
    private volatile String adminBody = "{\"database\":{\"healthy\":true,\"message\":\"ok\"}}";
    private volatile Duration delay = Duration.ZERO;

    public ToggleServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext("/health", exchange -> {
            polls.incrementAndGet();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (flapping.get()) {
                boolean answerUp = !up.getAndSet(!up.get());
                health(answerUp ? 200 : 503, answerUp ? UP : DOWN);
            }
            respond(exchange, healthStatus, healthBody);
        });
        server.createContext("/healthcheck", exchange -> {
            adminPolls.incrementAndGet();
            respond(exchange, adminStatus, adminBody);
        });
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
        health(isUp ? 200 : 503, isUp ? UP : DOWN);
    }

    /** {@code /health} answers {@code status} with {@code body}. */
    public void health(int status, String body) {
        healthStatus = status;
        healthBody = body;
    }

    /** {@code /healthcheck} answers {@code status} with {@code body}. */
    public void admin(int status, String body) {
        adminStatus = status;
        adminBody = body;
    }

    public void answerAfter(Duration wait) {
        delay = wait;
    }

    public void flapping(boolean flap) {
        flapping.set(flap);
    }

    /** Requests for {@code /health}. */
    public int polls() {
        return polls.get();
    }

    /** Requests for {@code /healthcheck}. */
    public int adminPolls() {
        return adminPolls.get();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
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
        threads.shutdownNow();
    }
}
