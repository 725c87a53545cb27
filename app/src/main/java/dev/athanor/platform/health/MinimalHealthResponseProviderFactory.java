package dev.athanor.platform.health;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStatusChecker;
import io.dropwizard.health.response.HealthResponse;
import io.dropwizard.health.response.HealthResponseProvider;
import io.dropwizard.health.response.HealthResponseProviderFactory;

/**
 * The public {@code /health} answer for uptime monitors and load balancers: {@code {"status":"up"}} with 200 or
 * {@code {"status":"down"}} with 503, and nothing else: no check names, versions or hosts for a stranger to read.
 * {@code ?type=alive} asks whether the process answers (liveness), anything else whether it is ready to serve
 * (readiness: the database reachable). The state comes from checks run on a schedule, never per request.
 */
@JsonTypeName("minimal")
public class MinimalHealthResponseProviderFactory implements HealthResponseProviderFactory {

    private static final String UP = "{\"status\":\"up\"}";
    private static final String DOWN = "{\"status\":\"down\"}";

    @Override
    public HealthResponseProvider build(HealthStatusChecker status, HealthStateAggregator aggregator,
            ObjectMapper mapper) {
        return queryParameters -> {
            String type = queryParameters.getOrDefault("type", java.util.List.of()).stream().findFirst()
                    .orElse(null);
            boolean healthy = status.isHealthy(type);
            return new HealthResponse(healthy, healthy ? UP : DOWN, "application/json", healthy ? 200 : 503);
        };
    }
}
