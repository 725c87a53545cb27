package dev.athanor.backup.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The dead man's switch hears a job's start, its success and its failure; one that is down fails nothing. */
class HeartbeatTest {

    @Test
    void pingsStartSuccessAndFailureAndSurvivesAServiceThatIsDown() throws Exception {
        List<String> pings = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            pings.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            Heartbeat heartbeat = new Heartbeat(Optional.of(URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/ping/abc/")));
            heartbeat.start();
            heartbeat.success();
            heartbeat.failure();

            assertThat(pings).containsExactly("GET /ping/abc/start", "GET /ping/abc", "GET /ping/abc/fail");
        } finally {
            server.stop(0);
        }
        new Heartbeat(Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/gone")))
                .failure();
        new Heartbeat(Optional.empty()).success();
    }
}
