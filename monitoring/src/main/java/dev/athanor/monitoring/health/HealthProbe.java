package dev.athanor.monitoring.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.common.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Polls the site as a visitor's uptime monitor would (the public {@code /health}) and as the operator would (the admin
 * port's {@code /healthcheck}, every check by name), each request bounded by a timeout so that a hung site reads as
 * down instead of hanging the caller.
 */
public final class HealthProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    public HealthProbe(Duration timeout, Clock clock) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Polls {@code publicUrls} and, when given, the admin health checks at {@code adminHealthcheck}.
     */
    public HealthReport probe(List<URI> publicUrls, Optional<URI> adminHealthcheck) {
        List<HealthReport.Endpoint> endpoints = new ArrayList<>();
        for (URI url : publicUrls) {
            endpoints.add(endpoint(url));
        }
        List<HealthReport.Check> checks = new ArrayList<>();
        String adminProblem = null;
        if (adminHealthcheck.isPresent()) {
            try {
                HttpResponse<String> response = get(adminHealthcheck.get());
                JsonNode body = JSON.readTree(response.body());
                if (body == null || !body.isObject()) {
                    throw new IOException("answered " + response.statusCode() + " without health checks");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> check = it.next();
                    checks.add(new HealthReport.Check(check.getKey(), check.getValue().path("healthy").asBoolean(),
                            check.getValue().path("message").asText(check.getValue().path("error").path("message")
                                    .asText(""))));
                }
            } catch (IOException e) {
                adminProblem = "admin checks at " + adminHealthcheck.get() + ": " + problem(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                adminProblem = "interrupted";
            }
        }
        return new HealthReport(clock.instant(), endpoints, checks, adminProblem);
    }

    private HealthReport.Endpoint endpoint(URI url) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = get(url);
            return new HealthReport.Endpoint(url, response.statusCode(), (System.nanoTime() - start) / 1_000_000,
                    response.statusCode() == 200 ? null : "answered " + response.statusCode());
        } catch (IOException e) {
            return new HealthReport.Endpoint(url, 0, (System.nanoTime() - start) / 1_000_000, problem(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthReport.Endpoint(url, 0, 0, "interrupted");
        }
    }

    private HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "athanor-ops")
                .GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String problem(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "did not accept a connection within " + Durations.human(timeout);
        }
        if (e instanceof HttpTimeoutException) {
            return "did not answer within " + Durations.human(timeout);
        }
        if (e instanceof java.net.ConnectException) {
            return "refused the connection (not running?)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
