package dev.athanor.platform.web;

import dev.athanor.monitoring.nginx.NginxSite;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the page views nginx answers from the page files ({@link PageFiles}) without asking the site. nginx appends
 * each one's path as a line to a log ({@value #LOG_NAME} in {@code nginx.pageFiles}), buffered, so that a page costs
 * it no system call of its own; this reader hands each new line's path, every half second, to the same counter the
 * site's own page views go to.
 *
 * <p>How far the log was read is kept beside it ({@value #READ_NAME}), under an exclusive lock on that file, so that
 * both release slots may read during a deploy, and a restarted site goes on from there: each line is counted once.
 * A line nginx is still writing waits for its end. Once everything was read, the log is emptied when it is at least
 * {@link #EMPTIED_AT} bytes and nginx has written nothing for {@link #QUIET} (it flushes every second), or at
 * {@link #EMPTIED_ANYWAY} bytes on a site never quiet that long; nginx appends, so it goes on at the start. A flush
 * that lands between the last read and the emptying is lost: a window of microseconds.
 *
 * <p>The site makes the log with group read and write, so that it may still empty it once nginx, reopening its logs
 * (logrotate's nightly signal), has made its workers' user the owner; the group stays the site's.
 * A line that is not a path is skipped.
 */
public final class NginxPageViews implements Managed {

    /** The log nginx appends page views to, in {@code nginx.pageFiles}. */
    public static final String LOG_NAME = NginxSite.PAGE_VIEWS_LOG;
    /** Where the readers keep how far the log was read, beside it. */
    static final String READ_NAME = "page-views.read";
    /** The log is emptied once read and at least this long. */
    static final long EMPTIED_AT = 1 << 20;
    /** How long nginx must have written nothing to the log before it is emptied. */
    static final Duration QUIET = Duration.ofSeconds(3);
    /** The log is emptied once read and this long, quiet or not. */
    static final long EMPTIED_ANYWAY = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(NginxPageViews.class);
    /** A file lock excludes other processes; this excludes readers in the same one, which the file lock does not. */
    private static final Object IN_THIS_PROCESS = new Object();

    private final Path log;
    private final Path read;
    private final long emptiedAt;
    private final Consumer<String> pageViews;
    private ScheduledExecutorService reader;
    private boolean warnedCannotEmpty;

    /** Reads {@value #LOG_NAME} in {@code folder} (nginx.pageFiles). */
    public NginxPageViews(Path folder, Consumer<String> pageViews) {
        this(folder, EMPTIED_AT, pageViews);
    }

    NginxPageViews(Path folder, long emptiedAt, Consumer<String> pageViews) {
        this.log = folder.resolve(LOG_NAME);
        this.read = folder.resolve(READ_NAME);
        this.emptiedAt = emptiedAt;
        this.pageViews = pageViews;
    }

    /**
     * Makes the log if nginx has not (so that this site's user owns it and may empty it), then reads it every half
     * second.
     */
    @Override
    public void start() throws IOException {
        makeLog();
        reader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nginx-page-views");
            thread.setDaemon(true);
            return thread;
        });
        reader.scheduleWithFixedDelay(() -> {
            try {
                readNew();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not read nginx's page views in {}: {}", log, e.toString());
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** Reads what is new once more, so that what nginx had flushed is counted, and stops. */
    @Override
    public void stop() throws Exception {
        reader.shutdown();
        reader.awaitTermination(5, TimeUnit.SECONDS);
        readNew();
    }

    /** Counts the lines added to the log since any reader last read it; empties the log when it may. */
    void readNew() throws IOException {
        if (!Files.exists(log)) {
            LOG.warn("{} was deleted: nginx counts no page view from its files until it is reloaded", log);
            makeLog();
            return;
        }
        synchronized (IN_THIS_PROCESS) {
            try (FileChannel position = FileChannel.open(read, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = position.lock();
                    FileChannel lines = FileChannel.open(log, StandardOpenOption.READ)) {
                long from = readPosition(position);
                long size = lines.size();
                if (size < from) {
                    from = 0; // emptied by someone else: start again
                }
                long to = from + count(lines, from, size);
                if (to == size && (size >= emptiedAt && quiet() || size >= EMPTIED_ANYWAY)) {
                    to = empty(to);
                }
                writePosition(position, to);
            }
        }
    }

    /** Makes the log, writable by this site's group, unless nginx or an earlier start made it. */
    private void makeLog() throws IOException {
        try {
            Files.createDirectories(log.getParent());
            Files.createFile(log);
            Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw----"));
        } catch (FileAlreadyExistsException made) {
            // by nginx, or by an earlier start
        }
    }

    /** Counts the whole lines between {@code from} and {@code size}; the bytes read, up to the last line's end. */
    private long count(FileChannel lines, long from, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        StringBuilder line = new StringBuilder();
        long counted = 0;
        long at = from;
        while (at < size) {
            chunk.clear();
            int n = lines.read(chunk, at);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte b = chunk.get(i);
                if (b == '\n') {
                    String path = path(line.toString());
                    if (path != null) {
                        pageViews.accept(path);
                    }
                    line.setLength(0);
                    counted = at - from + i + 1;
                } else {
                    line.append((char) (b & 0xff));
                }
            }
            at += n;
        }
        return counted;
    }

    private boolean quiet() throws IOException {
        return Files.getLastModifiedTime(log).toInstant().isBefore(Instant.now().minus(QUIET));
    }

    /** Empties the log; {@code read} when this site's user may not (nginx made it): then the log grows. */
    private long empty(long read) {
        try (FileChannel writable = FileChannel.open(log, StandardOpenOption.WRITE)) {
            writable.truncate(0);
            return 0;
        } catch (IOException e) {
            if (!warnedCannotEmpty) {
                warnedCannotEmpty = true;
                LOG.warn("Cannot empty {} ({}): it grows until this site's group may write it (chgrp it to the"
                        + " site's group, chmod g+rw)", log, e.toString());
            }
            return read;
        }
    }

    private static long readPosition(FileChannel position) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(32);
        position.read(text, 0);
        String value = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).strip();
        try {
            return value.isEmpty() ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Writes the position over the last, always the same width, so that no moment leaves it empty or short. */
    private static void writePosition(FileChannel position, long to) throws IOException {
        position.write(ByteBuffer.wrap("%020d\n".formatted(to).getBytes(StandardCharsets.US_ASCII)), 0);
    }

    /** The path a log line names ({@code /courses/intro}); null for anything else. */
    static String path(String line) {
        String path = line.strip();
        return path.startsWith("/") && path.length() <= 512 && path.chars().noneMatch(Character::isWhitespace)
                ? path : null;
    }
}
