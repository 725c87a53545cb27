package dev.athanor.monitoring.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The site's changes of state as {@code ops health --watch} saw them, one JSON line each in
 * {@code health-history.jsonl}: the weekly digest reads the week's availability and outages from it. Lines older than
 * a quarter are dropped when the file is rewritten, so it stays small.
 */
public final class HealthHistory {

    /** One change: from this moment the site was in {@code state}. */
    public record Change(Instant at, HealthState state, String detail) {
    }

    /** What a period looked like: the share of it spent up (or degraded, which visitors do not notice), and outages. */
    public record Summary(Duration observed, Duration down, Duration degraded, int outages, Duration longestOutage) {

        public double availabilityPercent() {
            return observed.isZero() ? 100 : 100.0 * (observed.toMillis() - down.toMillis()) / observed.toMillis();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Duration KEPT = Duration.ofDays(92);

    private final Path file;

    public HealthHistory(Path directory) {
        this.file = directory.resolve("health-history.jsonl");
    }

    /** Appends a change. */
    public synchronized void record(Change change) throws IOException {
        Files.createDirectories(file.getParent());
        List<Change> kept = read().stream().filter(old -> old.at().isAfter(change.at().minus(KEPT))).toList();
        if (kept.size() > 5000) {
            List<String> lines = new ArrayList<>();
            for (Change old : kept.subList(kept.size() - 5000, kept.size())) {
                lines.add(JSON.writeValueAsString(old));
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
        }
        Files.writeString(file, JSON.writeValueAsString(change) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every change recorded, oldest first; an unreadable line is skipped. */
    public List<Change> read() throws IOException {
        List<Change> changes = new ArrayList<>();
        if (!Files.exists(file)) {
            return changes;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                changes.add(JSON.readValue(line, Change.class));
            } catch (IOException e) {
                // a line cut short by a crash
            }
        }
        return changes;
    }

    /** How {@code from} to {@code to} went, counting only the time after the first recorded change. */
    public Summary summarize(Instant from, Instant to) throws IOException {
        List<Change> changes = read();
        HealthState state = null;
        Instant cursor = from;
        Duration observed = Duration.ZERO;
        Duration down = Duration.ZERO;
        Duration degraded = Duration.ZERO;
        Duration longest = Duration.ZERO;
        Duration currentOutage = Duration.ZERO;
        int outages = 0;
        for (Change change : changes) {
            if (!change.at().isAfter(from)) {
                state = change.state();
                continue;
            }
            if (change.at().isAfter(to)) {
                break;
            }
            Duration span = Duration.between(cursor, change.at());
            if (state != null) {
                observed = observed.plus(span);
                if (state == HealthState.DOWN) {
                    down = down.plus(span);
                    currentOutage = currentOutage.plus(span);
                } else if (state == HealthState.DEGRADED) {
                    degraded = degraded.plus(span);
                }
            }
            if (change.state() == HealthState.DOWN && state != HealthState.DOWN) {
                outages++;
                currentOutage = Duration.ZERO;
            }
            if (change.state() != HealthState.DOWN) {
                longest = currentOutage.compareTo(longest) > 0 ? currentOutage : longest;
                currentOutage = Duration.ZERO;
            }
            state = change.state();
            cursor = change.at();
        }
        if (state != null) {
            Duration span = Duration.between(cursor, to);
            observed = observed.plus(span);
            if (state == HealthState.DOWN) {
                down = down.plus(span);
                currentOutage = currentOutage.plus(span);
            } else if (state == HealthState.DEGRADED) {
                degraded = degraded.plus(span);
            }
            longest = currentOutage.compareTo(longest) > 0 ? currentOutage : longest;
        }
        return new Summary(observed, down, degraded, outages, longest);
    }
}
