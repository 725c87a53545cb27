package dev.athanor.ops.nginx;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for one instance of the site behind nginx, on a free loopback port, counting the requests it gets by
 * method: answers {@code backend NAME}, {@code /health} with 200, and {@code /busy} with a 503 page of its own. A
 * {@link #hangingUp} one reads each request and closes the connection without an answer, as an instance that closed a
 * kept-alive connection would look to nginx.
 */
final class Backend implements AutoCloseable {

    static final String OWN_503 = "<p>the site's own 503</p>";

    private final String name;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AutoCloseable server;
    private final int port;

    private Backend(String name, boolean hangUp) throws IOException {
        this.name = name;
        if (hangUp) {
            ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> hangUpOn(socket), "hang-up-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
            server = socket;
            port = socket.getLocalPort();
        } else {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            http.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                count(exchange.getRequestMethod());
                String path = exchange.getRequestURI().getPath();
                int status = path.equals("/busy") ? 503 : 200;
                String body = path.equals("/busy") ? OWN_503 : path.equals("/health") ? "{\"status\":\"up\"}"
                        : "backend " + name;
                if (path.equals("/busy")) {
                    exchange.getResponseHeaders().add("X-Site", "own");
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            http.start();
            server = () -> http.stop(0);
            port = http.getAddress().getPort();
        }
    }

    static Backend answering(String name) throws IOException {
        return new Backend(name, false);
    }

    static Backend hangingUp(String name) throws IOException {
        return new Backend(name, true);
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Requests seen with {@code method}. */
    int seen(String method) {
        return counts.getOrDefault(method, new AtomicInteger()).get();
    }

    int requests() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void count(String method) {
        counts.computeIfAbsent(method, key -> new AtomicInteger()).incrementAndGet();
    }

    private void hangUpOn(ServerSocket listening) {
        while (!listening.isClosed()) {
            try (Socket socket = listening.accept()) {
                socket.setSoTimeout(5_000);
                String head = readHead(socket.getInputStream());
                if (!head.isEmpty()) {
                    count(head.substring(0, head.indexOf(' ')));
                    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                            .matcher(head);
                    if (length.find()) {
                        socket.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
                    }
                }
            } catch (IOException closedOrReset) {
                // the next one
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
