package dev.athanor.ops.nginx;

import java.time.Instant;
import java.util.List;

/**
 * Maintenance mode as it is on now: since when, the message visitors read, and the addresses that still reach the
 * site (the operator's).
 */
public record MaintenanceState(Instant since, String message, List<String> addresses) {

    public MaintenanceState {
        addresses = List.copyOf(addresses);
    }
}
