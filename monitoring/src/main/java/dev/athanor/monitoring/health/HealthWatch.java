package dev.athanor.monitoring.health;

import dev.athanor.common.Durations;
import dev.athanor.monitoring.alerts.AlertKey;
import dev.athanor.monitoring.alerts.Alerts;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code ops health --watch}: polls on an interval and alerts on a change of state only. A change counts once
 * {@code confirmations} polls in a row agree, so one slow answer is not an outage. Going down raises the
 * {@code site / down} alert, recovering resolves it (one recovery note); degraded works the same under
 * {@code site / degraded}. While a problem lasts each poll raises it again, which the alert sender de-duplicates (and
 * which lets a message held back by its hourly limit go out later); the sender's limit bounds what a flapping site
 * can send. Every confirmed change is written to the {@link HealthHistory} for the weekly digest.
 */
public final class HealthWatch {

    public static final AlertKey DOWN = AlertKey.of("site", "down");
    public static final AlertKey DEGRADED = AlertKey.of("site", "degraded");
    private static final Duration FLUSH_EVERY = Duration.ofMinutes(5);

    private final Supplier<HealthReport> probe;
    private final Alerts alerts;
    private final HealthHistory history;
    private final int confirmations;
    private final Consumer<String> say;
    private final Clock clock;

    private HealthState confirmed;
    private Instant confirmedSince;
    private HealthState candidate;
    private int streak;
    private Instant lastFlush = Instant.MIN;

    public HealthWatch(Supplier<HealthReport> probe, Alerts alerts, HealthHistory history, int confirmations,
            Consumer<String> say, Clock clock) {
        this.probe = probe;
        this.alerts = alerts;
        this.history = history;
        this.confirmations = Math.max(1, confirmations);
        this.say = say;
        this.clock = clock;
    }

    /**
     * Polls every {@code interval} until {@code stop} is counted down. Stopping is cooperative, not by interruption,
     * so that a poll in progress finishes its alert (and the alert state file) whole.
     */
    public void run(Duration interval, CountDownLatch stop) throws InterruptedException {
        while (stop.getCount() > 0) {
            long started = System.nanoTime();
            poll();
            long left = interval.toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (left > 0 && stop.await(left, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** One poll; returns the confirmed state (null until the first change is confirmed). */
    public HealthState poll() {
        HealthReport report = probe.get();
        HealthState seen = report.state();
        if (seen == candidate) {
            streak++;
        } else {
            candidate = seen;
            streak = 1;
        }
        Instant now = clock.instant();
        if (streak >= confirmations && seen != confirmed) {
            changeTo(seen, report, now);
        } else if (confirmed != null && confirmed != HealthState.UP && seen == confirmed) {
            alert(confirmed, report, now); // de-duplicated; lets a held-back message out
        } else if (Duration.between(lastFlush, now).compareTo(FLUSH_EVERY) >= 0) {
            alerts.flush();
            lastFlush = now;
        }
        return confirmed;
    }

    private void changeTo(HealthState state, HealthReport report, Instant now) {
        HealthState before = confirmed;
        Duration lasted = confirmedSince == null ? null : Duration.between(confirmedSince, now);
        confirmed = state;
        confirmedSince = now;
        say.accept(now + " " + state + (before == null ? "" : " (was " + before + ")") + ": " + report.summary());
        try {
            history.record(new HealthHistory.Change(now, state, report.summary()));
        } catch (IOException e) {
            say.accept("could not record the change in the health history: " + e.getMessage());
        }
        String after = lasted == null ? "" : " after " + Durations.human(lasted);
        if (state != HealthState.DOWN) {
            alerts.resolve(DOWN, "site is up again" + after, "The site answers again" + after + ".\n\n"
                    + describe(report));
        }
        if (state == HealthState.UP) {
            alerts.resolve(DEGRADED, "site is healthy again" + after, "Every check is healthy again" + after
                    + ".\n\n" + describe(report));
        }
        if (state != HealthState.UP) {
            alert(state, report, now);
        }
        lastFlush = now;
    }

    private void alert(HealthState state, HealthReport report, Instant now) {
        if (state == HealthState.DOWN) {
            alerts.raise(DOWN, "site is DOWN: " + report.summary(), "Visitors cannot use the site: "
                    + report.summary() + ".\n\n" + describe(report)
                    + "\n\nLook first: ops status, ops logs app --since 15m --level WARN, journalctl -u athanor");
        } else {
            alerts.raise(DEGRADED, "site is degraded: " + report.summary(), "The site serves visitors, but: "
                    + report.summary() + ".\n\n" + describe(report) + "\n\nLook first: ops status, ops doctor");
        }
    }

    private static String describe(HealthReport report) {
        StringBuilder text = new StringBuilder("Checked at " + report.at() + ":\n");
        report.endpoints().forEach(endpoint -> text.append("  ").append(endpoint.describe()).append('\n'));
        report.checks().forEach(check -> text.append("  ").append(check.healthy() ? "ok   " : "FAIL ")
                .append(check.name()).append(": ").append(check.message()).append('\n'));
        if (report.adminProblem() != null) {
            text.append("  ").append(report.adminProblem()).append('\n');
        }
        return text.toString().stripTrailing();
    }
}
