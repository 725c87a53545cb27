package dev.athanor.backup.scheduler;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a dead man's switch (healthchecks.io and compatible services): {@code URL/start} when a job starts,
 * {@code URL} when it succeeds, {@code URL/fail} when it fails. The service alerts when the pings stop, which covers
 * the case no local check can: this server or this daemon is gone. A failed ping is logged and never fails a job.
 */
public final class Heartbeat {

    private static final Logger LOGGER = LoggerFactory.getLogger(Heartbeat.class);

    private final Optional<URI> url;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Heartbeat(Optional<URI> url) {
        this.url = url;
    }

    public void start() {
        ping("/start");
    }

    public void success() {
        ping("");
    }

    public void failure() {
        ping("/fail");
    }

    private void ping(String suffix) {
        if (url.isEmpty()) {
            return;
        }
        URI target = URI.create(url.get().toString().replaceFirst("/+$", "") + suffix);
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                LOGGER.warn("Heartbeat {} answered {}", target.getHost(), response.statusCode());
            }
        } catch (java.io.IOException e) {
            LOGGER.warn("Heartbeat {} could not be reached: {}", target.getHost(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
