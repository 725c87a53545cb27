package dev.athanor.ops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits for a new instance to be ready: {@code /health} answering 200 on its own port, asked four times a second.
 * When it does not come in time, or the instance exits first, says why: the failing checks of its admin port, or
 * that nothing answers there, and the last lines of its log.
 */
final class Readiness {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Readiness() {
    }

    /** Returns how long it took; throws with the reason when it is not ready within {@code timeout}. */
    static Duration await(Instances instances, String slot, DeployFactory.Slot ports, Duration timeout)
            throws DeployException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        URI health = URI.create("http://127.0.0.1:" + ports.getPort() + "/health");
        while (System.nanoTime() < deadline) {
            Optional<String> failure = instances.failure(slot);
            if (failure.isPresent()) {
                throw notReady(instances, slot, ports, "it " + failure.get() + " before it was ready");
            }
            if (status(health) == 200) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            sleep();
        }
        throw notReady(instances, slot, ports, "not ready after " + timeout.toSeconds() + " s");
    }

    private static DeployException notReady(Instances instances, String slot, DeployFactory.Slot ports, String what) {
        List<String> lines = new ArrayList<>();
        lines.add("the new release in slot " + slot + " is " + what.replaceFirst("^it ", "") + ": " + checks(ports)
                + "; the site is untouched.");
        List<String> log = instances.lastLogLines(slot, 15);
        if (!log.isEmpty()) {
            lines.add("Last lines of its log:");
            log.forEach(line -> lines.add("  " + line));
        }
        return new DeployException(String.join("\n", lines), 69);
    }

    /** What the admin port says is unhealthy, or that it does not answer. */
    static String checks(DeployFactory.Slot ports) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + ports.getAdminPort() + "/healthcheck")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode checks = ReleaseStore.JSON.readTree(response.body());
            List<String> failing = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = checks.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> check = it.next();
                if (!check.getValue().path("healthy").asBoolean(true)) {
                    failing.add("check " + check.getKey() + " failed: "
                            + check.getValue().path("message").asText("no message"));
                }
            }
            return failing.isEmpty() ? "every check on its admin port passes, yet /health did not answer 200"
                    : String.join("; ", failing);
        } catch (IOException e) {
            return "nothing answers on its admin port " + ports.getAdminPort() + " (it has not started its server)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
