package dev.athanor.ops.testing;

import dev.athanor.backup.AlertSink;
import java.util.ArrayList;
import java.util.List;

/** Alerts kept in memory, for tests to read. */
public final class RecordingAlerts implements AlertSink {

    public record Alert(String key, String subject, String body) {
    }

    private final List<Alert> raised = new ArrayList<>();
    private final List<String> resolved = new ArrayList<>();

    @Override
    public synchronized void raise(String key, String subject, String body) {
        raised.add(new Alert(key, subject, body));
    }

    @Override
    public synchronized void resolve(String key, String subject, String body) {
        resolved.add(key);
    }

    public synchronized List<Alert> raised() {
        return List.copyOf(raised);
    }

    public synchronized List<String> resolved() {
        return List.copyOf(resolved);
    }
}
