package dev.athanor.monitoring.health;

/** How the site stands, best first; the exit code of {@code ops health} is the ordinal. */
public enum HealthState {
    /** Answers ready, and every admin check is healthy. */
    UP,
    /** Serves visitors, but an admin check is unhealthy (disk, certificates, migrations) or the admin port is silent. */
    DEGRADED,
    /** The public health URL does not answer 200: visitors are affected. */
    DOWN;

    /** 0 healthy, 1 degraded, 2 down. */
    public int exitCode() {
        return ordinal();
    }

    public HealthState worst(HealthState other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
