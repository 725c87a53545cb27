package dev.athanor.monitoring.alerts;

import dev.athanor.common.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one alert sender of every Athanor command and job: tell it about a problem with {@link #raise}, and that it is
 * over with {@link #resolve}; it decides what actually goes out.
 *
 * <pre>{@code
 * Alerts alerts = configuration.getAlerts().build(configuration.getSmtp());
 * AlertKey key = AlertKey.of("backup", "failed");
 * alerts.raise(key, "Backup failed", "pg_dump exited 1: ...");   // each run that fails
 * alerts.resolve(key, "Backup works again", "Backup 2026-11-26 completed."); // the next run that succeeds
 * }</pre>
 *
 * <ul>
 *   <li>De-duplicated: a problem ({@link AlertKey}) goes out once, then again at most once per repeat period (a day
 *       by default) while it is still raised; raising it on every run is the intended use.
 *   <li>Closed: {@link #resolve} sends one recovery note for a problem that was sent, and nothing otherwise.
 *   <li>Rate-limited: at most {@code maxPerHour} messages an hour in all, so a flapping check cannot flood the inbox;
 *       what is held back goes out on a later call, and the next message says how much was held back.
 *   <li>Retried: each channel (mail, webhook) is tried a few times; a message that still fails is kept on disk and
 *       sent again by the next call of any process, or by {@link #flush()}.
 *   <li>Independent of the database: the state is a JSON file on local disk, shared by the site, {@code ops} and
 *       the scheduler under a file lock.
 * </ul>
 *
 * <p>Calls block while sending (bounded by the SMTP and webhook timeouts and the retries) and are safe from several
 * threads and processes. They do not throw for delivery problems, which are logged and kept for retry. When the
 * state directory cannot be written, alerts still go out (logged as an error), without de-duplication.
 */
public final class Alerts {

    private static final Logger LOGGER = LoggerFactory.getLogger(Alerts.class);
    /** A message nobody could deliver for this long is dropped (and logged), so the queue cannot grow forever. */
    private static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
    /** How many sent messages the state remembers for {@link #recent()}. */
    private static final int RECENT = 20;

    private final AlertLog log;
    private final List<AlertChannel> channels;
    private final Settings settings;
    private final Clock clock;

    /** How often, how many and how hard; built from {@code alerts} in config.yml by {@link AlertsFactory}. */
    public record Settings(String subjectPrefix, Duration repeatEvery, int maxPerHour, int attempts,
            Duration retryDelay) {
    }

    Alerts(AlertLog log, List<AlertChannel> channels, Settings settings, Clock clock) {
        this.log = log;
        this.channels = List.copyOf(channels);
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Reports that the problem {@code key} is present now. The first call sends {@code subject} and {@code body};
     * later calls send again only after the repeat period. Call it every time the condition is seen.
     */
    public Delivery raise(AlertKey key, String subject, String body) {
        return update(state -> {
            Instant now = clock.instant();
            retryPending(state, now);
            AlertLog.Problem problem = state.open.computeIfAbsent(key.id(), id -> {
                AlertLog.Problem fresh = new AlertLog.Problem();
                fresh.firstSeen = now;
                return fresh;
            });
            problem.subject = subject;
            problem.lastSeen = now;
            if (problem.lastSent != null && now.isBefore(problem.lastSent.plus(settings.repeatEvery()))) {
                return Delivery.DUPLICATE;
            }
            String text = body + footer(key, problem, now, true);
            Delivery delivery = sendWithinLimit(state, key, settings.subjectPrefix() + subject, text, now);
            if (delivery != Delivery.HELD_BACK) {
                problem.lastSent = now;
                problem.timesSent++;
            }
            return delivery;
        });
    }

    /**
     * Reports that the problem {@code key} is over. If a message about it went out, one recovery note with
     * {@code subject} and {@code body} follows; otherwise nothing is sent. Safe to call on every healthy run.
     */
    public Delivery resolve(AlertKey key, String subject, String body) {
        return update(state -> {
            Instant now = clock.instant();
            retryPending(state, now);
            AlertLog.Problem problem = state.open.remove(key.id());
            if (problem == null || problem.lastSent == null) {
                return Delivery.NOTHING_OPEN;
            }
            String text = body + footer(key, problem, now, false);
            return sendWithinLimit(state, key, settings.subjectPrefix() + "RESOLVED: " + subject, text, now);
        });
    }

    /** Sends again whatever earlier calls could not deliver; returns how many messages are still waiting. */
    public int flush() {
        return update(state -> {
            retryPending(state, clock.instant());
            return state.pending.size();
        });
    }

    /** The problems currently open, by key id, with their subjects: for status pages. */
    public Map<String, String> openProblems() {
        return log.read().open.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().subject));
    }

    /** A message that went out: when, and its subject. */
    public record SentAlert(Instant at, String subject) {
    }

    /** The last messages that went out (up to 20), newest first: for {@code ops status} and the digest. */
    public List<SentAlert> recent() {
        List<SentAlert> recent = new ArrayList<>();
        for (AlertLog.Sent sent : log.read().recent) {
            recent.add(0, new SentAlert(sent.at, sent.subject));
        }
        return recent;
    }

    /** How many messages are waiting to be delivered again. */
    public int pendingCount() {
        return log.read().pending.size();
    }

    /**
     * Sends a message that reports rather than alerts (the weekly digest): no problem is opened, but the hourly
     * limit, the retries and the outbox apply as to any alert.
     */
    public Delivery report(String subject, String body) {
        return update(state -> sendWithinLimit(state, AlertKey.of("report", "digest"), settings.subjectPrefix()
                + subject, body, clock.instant()));
    }

    /** Where alerts go, one phrase per channel, for {@code ops} to show the operator. */
    public List<String> destinations() {
        return channels.stream().map(AlertChannel::describe).toList();
    }

    private Delivery sendWithinLimit(AlertLog.State state, AlertKey key, String subject, String body, Instant now) {
        Instant hourAgo = now.minus(Duration.ofHours(1));
        state.sent.removeIf(sent -> sent.isBefore(hourAgo));
        if (state.sent.size() >= settings.maxPerHour()) {
            if (state.heldBack == 0) {
                state.heldBackSince = now;
            }
            state.heldBack++;
            LOGGER.warn("Alert held back by the limit of {} an hour: {}", settings.maxPerHour(), subject);
            return Delivery.HELD_BACK;
        }
        String text = body;
        if (state.heldBack > 0) {
            text = body + "\n\n" + state.heldBack + " other alert(s) were held back by the limit of "
                    + settings.maxPerHour() + " an hour since " + state.heldBackSince + ".";
            state.heldBack = 0;
            state.heldBackSince = null;
        }
        state.sent.add(now);
        AlertLog.Sent sent = new AlertLog.Sent();
        sent.at = now;
        sent.subject = subject;
        state.recent.add(sent);
        while (state.recent.size() > RECENT) {
            state.recent.remove(0);
        }
        AlertLog.Pending message = new AlertLog.Pending();
        message.key = key.id();
        message.subject = subject;
        message.body = text;
        message.created = now;
        message.channels = new ArrayList<>(channels.stream().map(AlertChannel::name).toList());
        deliver(message);
        if (message.channels.isEmpty()) {
            return Delivery.SENT;
        }
        state.pending.add(message);
        return Delivery.QUEUED;
    }

    private void retryPending(AlertLog.State state, Instant now) {
        for (AlertLog.Pending message : new ArrayList<>(state.pending)) {
            if (message.created.plus(GIVE_UP_AFTER).isBefore(now)) {
                LOGGER.error("Alert \"{}\" could not be delivered for {} and is dropped: {}", message.subject,
                        GIVE_UP_AFTER, message.lastError);
                state.pending.remove(message);
                continue;
            }
            deliver(message);
            if (message.channels.isEmpty()) {
                state.pending.remove(message);
            }
        }
    }

    /** Tries each channel still owed {@code message}; removes those that took it. */
    private void deliver(AlertLog.Pending message) {
        Map<String, AlertChannel> byName = channels.stream()
                .collect(Collectors.toMap(AlertChannel::name, Function.identity()));
        AlertMessage alert = new AlertMessage(message.subject, message.body);
        message.attempts++;
        for (String name : new ArrayList<>(message.channels)) {
            AlertChannel channel = byName.get(name);
            if (channel == null) {
                message.channels.remove(name); // no longer configured
                continue;
            }
            Exception failure = sendWithRetries(channel, alert);
            if (failure == null) {
                message.channels.remove(name);
            } else {
                message.lastError = channel.name() + ": " + failure.getMessage();
                LOGGER.warn("Alert \"{}\" not delivered by {} (kept to retry): {}", message.subject,
                        channel.describe(), failure.toString());
            }
        }
    }

    private Exception sendWithRetries(AlertChannel channel, AlertMessage alert) {
        Exception last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                channel.send(alert);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            } catch (Exception e) {
                last = e;
                if (attempt < settings.attempts() && !sleep(settings.retryDelay().multipliedBy(attempt))) {
                    return e;
                }
            }
        }
        return last;
    }

    private static boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String footer(AlertKey key, AlertLog.Problem problem, Instant now, boolean raised) {
        StringBuilder footer = new StringBuilder("\n\n--\n");
        footer.append("Host: ").append(hostName()).append('\n');
        footer.append("Alert: ").append(key.id()).append('\n');
        footer.append("First seen: ").append(problem.firstSeen).append('\n');
        if (raised) {
            footer.append("Repeats at most every ").append(Durations.human(settings.repeatEvery()))
                    .append(" while the problem lasts; a note follows when it is over.");
        } else {
            footer.append("Over at: ").append(now);
        }
        return footer.toString();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private <T> T update(AlertLog.Change<T> change) {
        try {
            return log.update(change);
        } catch (IOException e) {
            // Alerts matter most when things are broken: without state, send anyway (no de-duplication).
            LOGGER.error("Alert state {} cannot be written ({}); sending without de-duplication", log.file(),
                    e.toString());
            try {
                return change.apply(new AlertLog.State());
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }
}
