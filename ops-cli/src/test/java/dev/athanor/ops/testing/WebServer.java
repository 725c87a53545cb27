package dev.athanor.ops.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** What nginx does for HTTP-01 in production: serves the webroot's files over plain http. */
public final class WebServer implements AutoCloseable {

    private final HttpServer server;

    public WebServer(Path webroot, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/", exchange -> {
            Path file = webroot.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            boolean found = file.startsWith(webroot) && Files.isRegularFile(file);
            byte[] body = found ? Files.readAllBytes(file) : new byte[0];
            exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
