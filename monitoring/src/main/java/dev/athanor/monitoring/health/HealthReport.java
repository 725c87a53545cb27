package dev.athanor.monitoring.health;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One round of polling: each public URL's answer, each admin check, and the state they add up to.
 *
 * @param endpoints the public readiness URLs, each with its answer
 * @param checks the admin port's named checks; empty when it was not asked or did not answer
 * @param adminProblem why the admin port gave no checks, or null
 */
public record HealthReport(Instant at, List<Endpoint> endpoints, List<Check> checks, String adminProblem) {

    /** A public URL and what it answered: a status (0 when it did not answer) in some milliseconds. */
    public record Endpoint(URI url, int status, long millis, String problem) {

        public boolean up() {
            return status == 200;
        }

        public String describe() {
            return problem != null ? url + " " + problem : url + " answered " + status + " in " + millis + " ms";
        }
    }

    /** One of the site's admin health checks. */
    public record Check(String name, boolean healthy, String message) {
    }

    /** DOWN when any public URL is not up, DEGRADED when an admin check fails or the admin port is silent. */
    public HealthState state() {
        if (endpoints.stream().anyMatch(endpoint -> !endpoint.up())) {
            return HealthState.DOWN;
        }
        if (adminProblem != null || checks.stream().anyMatch(check -> !check.healthy())) {
            return HealthState.DEGRADED;
        }
        return HealthState.UP;
    }

    /** What is wrong, one phrase per problem, or "all healthy". */
    public String summary() {
        String down = endpoints.stream().filter(endpoint -> !endpoint.up()).map(Endpoint::describe)
                .collect(Collectors.joining("; "));
        String failing = checks.stream().filter(check -> !check.healthy())
                .map(check -> check.name() + ": " + check.message()).collect(Collectors.joining("; "));
        StringBuilder summary = new StringBuilder();
        for (String part : new String[] {down, failing, adminProblem == null ? "" : adminProblem}) {
            if (!part.isEmpty()) {
                summary.append(summary.length() == 0 ? "" : "; ").append(part);
            }
        }
        return summary.length() == 0 ? "all healthy" : summary.toString();
    }
}
