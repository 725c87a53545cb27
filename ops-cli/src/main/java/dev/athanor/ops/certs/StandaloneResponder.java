package dev.athanor.ops.certs;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers challenges itself on {@code responderHost:responderPort} (port 80) for as long as an order runs: for a
 * server where nothing else listens on port 80 yet (before nginx is set up).
 */
final class StandaloneResponder implements ChallengeResponder {

    private final String host;
    private final int port;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private HttpServer server;

    StandaloneResponder(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void checkReady() throws TargetNotWritableException {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new TargetNotWritableException(Path.of(host + ":" + port), "cannot listen for challenges: "
                    + e.getMessage());
        }
        server.createContext(PATH, exchange -> {
            String token = exchange.getRequestURI().getPath().substring(PATH.length());
            String answer = answers.get(token);
            byte[] body = (answer == null ? "not found" : answer).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @Override
    public void publish(String token, String content) {
        answers.put(token, content);
    }

    @Override
    public void withdraw(String token) {
        answers.remove(token);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
