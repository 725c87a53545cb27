package dev.athanor.platform.web;

import io.dropwizard.lifecycle.Managed;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Keeps a fault that repeats from filling the log: the first error of a kind (the same exception classes at the same
 * top frames, whatever their messages) in a minute is logged in full by the caller; the others in that minute are only
 * counted, and summed up in one line ({@code ... repeated 41 more time(s) in the last minute}) when the minute is
 * over. The exception mappers log through it, so a fault hit by every request costs a stack trace a minute.
 */
final class RepeatedErrors implements Managed {

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int FRAMES = 4;
    private static final int CAUSES = 5;

    private final Logger logger;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private ScheduledExecutorService summaries;

    /** @param logger where the summaries go (the mapper's own logger) */
    RepeatedErrors(Logger logger) {
        this(logger, System::nanoTime);
    }

    RepeatedErrors(Logger logger, LongSupplier nanoTime) {
        this.logger = logger;
        this.nanoTime = nanoTime;
    }

    /**
     * Whether {@code failure} should be logged in full, being the first of its kind this minute; otherwise it is
     * counted, under {@code reference}, for the summary.
     */
    boolean first(Throwable failure, String reference) {
        summarize(false);
        long now = nanoTime.getAsLong();
        String kind = kind(failure);
        boolean[] first = {false};
        windows.compute(kind, (key, window) -> {
            if (window == null) {
                first[0] = true;
                StackTraceElement[] trace = failure.getStackTrace();
                return new Window(now, reference, failure.getClass().getName()
                        + (trace.length == 0 ? "" : " at " + trace[0]));
            }
            window.repeats++;
            window.lastReference = reference;
            return window;
        });
        return first[0];
    }

    /** Sums up every minute that is over (or, with {@code all}, every one) in a line each, and forgets it. */
    void summarize(boolean all) {
        long now = nanoTime.getAsLong();
        windows.forEach((kind, window) -> {
            if (all || now - window.startNanos >= WINDOW_NANOS) {
                Window ended = windows.remove(kind);
                if (ended != null && ended.repeats > 0) {
                    logger.warn("Error {} ({}) repeated {} more time(s) in the last minute, the last as {}",
                            ended.firstReference, ended.description, ended.repeats, ended.lastReference);
                }
            }
        });
    }

    @Override
    public void start() {
        summaries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "repeated-errors");
            thread.setDaemon(true);
            return thread;
        });
        summaries.scheduleWithFixedDelay(() -> summarize(false), 10, 10, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (summaries != null) {
            summaries.shutdownNow();
        }
        summarize(true);
    }

    /** The exception classes down the cause chain, each with its top frames: messages (ids, references) differ. */
    static String kind(Throwable failure) {
        StringBuilder kind = new StringBuilder();
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < CAUSES; cause = cause.getCause(), depth++) {
            kind.append(cause.getClass().getName()).append(top(cause)).append('|');
        }
        return kind.toString();
    }

    private static String top(Throwable failure) {
        StringBuilder frames = new StringBuilder();
        StackTraceElement[] trace = failure.getStackTrace();
        for (int i = 0; i < Math.min(FRAMES, trace.length); i++) {
            frames.append(i == 0 ? " at " : " < ").append(trace[i]);
        }
        return frames.toString();
    }

    private static final class Window {
        final long startNanos;
        final String firstReference;
        final String description;
        int repeats;
        String lastReference;

        Window(long startNanos, String firstReference, String description) {
            this.startNanos = startNanos;
            this.firstReference = firstReference;
            this.description = description;
        }
    }
}
