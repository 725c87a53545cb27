package dev.athanor.events;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.athanor.platform.FailureStreak;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events context's public face: what happened (page views, lesson starts and completions, video deliveries),
 * recorded off the request path. A request only adds to a bounded buffer, never waits for the database; a background
 * writer stores the buffer in batches every few seconds (page views summed per day and path, one row per other
 * event). When a buffer is full the event is dropped and counted ({@code dev.athanor.events.dropped}) rather than
 * slowing anyone down.
 */
public final class Events implements Managed {

    private static final Logger LOGGER = LoggerFactory.getLogger(Events.class);
    private static final int MAX_PATHS = 10_000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final long flushMillis;
    private final BlockingQueue<Event> queue;
    private final ConcurrentHashMap<String, LongAdder> pageViews = new ConcurrentHashMap<>();
    private final Meter dropped;
    private final Meter written;
    private final FailureStreak writes = new FailureStreak(LOGGER, "Events could not be stored");
    private volatile boolean running;
    private Thread writer;

    public Events(Jdbi jdbi, Clock clock, int capacity, long flushMillis, MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.flushMillis = flushMillis;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = metrics.meter("dev.athanor.events.dropped");
        this.written = metrics.meter("dev.athanor.events.written");
        metrics.register("dev.athanor.events.queued", (Gauge<Integer>) queue::size);
    }

    /** A page was served; counted per day and path. */
    public void pageView(String path) {
        LongAdder count = pageViews.get(path);
        if (count == null) {
            if (pageViews.size() >= MAX_PATHS) {
                dropped.mark();
                return;
            }
            count = pageViews.computeIfAbsent(path, ignored -> new LongAdder());
        }
        count.increment();
    }

    public void lessonStarted(long learnerId, long lessonId) {
        offer(new Event(Event.Kind.LESSON_START, clock.instant(), learnerId, lessonId, null));
    }

    public void lessonCompleted(long learnerId, long lessonId) {
        offer(new Event(Event.Kind.LESSON_COMPLETE, clock.instant(), learnerId, lessonId, null));
    }

    /** A video (or a part of one, for a range request) went out; {@code learnerId} is null for anonymous viewers. */
    public void videoDelivered(Long learnerId, long lessonId, long bytes) {
        offer(new Event(Event.Kind.VIDEO_DELIVERY, clock.instant(), learnerId, lessonId, bytes));
    }

    /** A subscriber downloaded a video through the API. */
    public void downloaded(long learnerId, long lessonId, long bytes) {
        offer(new Event(Event.Kind.DOWNLOAD, clock.instant(), learnerId, lessonId, bytes));
    }

    private void offer(Event event) {
        if (!queue.offer(event)) {
            dropped.mark();
        }
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::writeLoop, "events-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(10_000);
        }
        flush();
    }

    /** Writes what is buffered now; the writer does this every few seconds, and once more at stop. */
    public void flush() {
        List<Event> batch = new ArrayList<>();
        queue.drainTo(batch);
        Map<String, Long> views = new HashMap<>();
        for (String path : List.copyOf(pageViews.keySet())) {
            LongAdder adder = pageViews.remove(path);
            if (adder != null && adder.sum() > 0) {
                views.put(path, adder.sum());
            }
        }
        if (batch.isEmpty() && views.isEmpty()) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            List<String> paths = List.copyOf(views.keySet());
            jdbi.useTransaction(handle -> {
                EventDao dao = handle.attach(EventDao.class);
                if (!views.isEmpty()) {
                    dao.addPageViews(day, paths, paths.stream().map(views::get).toList());
                }
                if (!batch.isEmpty()) {
                    dao.add(batch.stream().map(Event::row).toList());
                }
            });
            written.mark(batch.size() + views.size());
            writes.succeeded();
        } catch (RuntimeException e) {
            dropped.mark(batch.size() + views.size());
            writes.failed(batch.size() + " event(s) and " + views.size() + " page view count(s) dropped: "
                    + e.getMessage());
        }
    }

    private void writeLoop() {
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(flushMillis);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }

    /** Counts per day for the last {@code days} days, newest first. */
    public List<DailyCounts> daily(int days) {
        Instant since = clock.instant().minus(java.time.Duration.ofDays(days));
        return jdbi.withExtension(EventDao.class, dao -> dao.daily(LocalDate.ofInstant(since, ZoneOffset.UTC),
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }

    /** The paths viewed most in the last {@code days} days, most viewed first: what a new release warms first. */
    public List<String> topPages(int days, int limit) {
        LocalDate since = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).minusDays(days);
        return jdbi.withExtension(EventDao.class, dao -> dao.topPages(since, limit));
    }

    /** The lessons started most often in the last {@code days} days: lesson id and starts. */
    public List<LessonCount> topLessons(int days, int limit) {
        Instant since = clock.instant().minus(java.time.Duration.ofDays(days));
        return jdbi.withExtension(EventDao.class, dao -> dao.topLessons(since, limit));
    }

    /** One day's counts. */
    public record DailyCounts(LocalDate day, long pageViews, long lessonStarts, long completions,
            long videoDeliveries) {
    }

    /** A lesson's starts and completions. */
    public record LessonCount(long lessonId, long starts, long completions) {
    }
}
