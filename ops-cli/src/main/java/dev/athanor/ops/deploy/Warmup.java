package dev.athanor.ops.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends a new instance the pages visited most (the front page, the catalogue and the week's top paths) for a few
 * seconds before it takes traffic: its page cache fills and the JIT compiles the request path, so the first learners
 * do not meet a cold server. Pages are asked plain and gzipped, as browsers and nginx ask.
 */
final class Warmup {

    /** Always warmed, whatever the statistics say. */
    static final List<String> ALWAYS = List.of("/", "/courses", "/articles");

    private Warmup() {
    }

    /** How many requests it sent; stops at {@code budget}. */
    static int run(int port, List<String> topPaths, Duration budget) {
        Set<String> paths = new LinkedHashSet<>(ALWAYS);
        topPaths.stream().filter(path -> path.startsWith("/") && !path.contains("..")).forEach(paths::add);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + budget.toNanos();
        int sent = 0;
        while (System.nanoTime() < deadline && !paths.isEmpty()) {
            for (String path : paths) {
                if (System.nanoTime() >= deadline) {
                    break;
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5));
                if (sent % 2 == 1) {
                    request.header("Accept-Encoding", "gzip");
                }
                try {
                    http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                    sent++;
                } catch (IOException e) {
                    return sent; // it is ready, so this is the switch's problem to find, not the warm-up's
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return sent;
                }
            }
        }
        return sent;
    }
}
