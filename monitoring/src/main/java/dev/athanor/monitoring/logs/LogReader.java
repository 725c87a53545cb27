package dev.athanor.monitoring.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads a {@link LogSet} in time order through a {@link LogFilter}: the rotated archives (gzipped or not), then the
 * current file, and on request follows the current file as it grows, across rotations.
 *
 * <p>With a {@code since}, files last written before it are not opened at all, and in the plain current file the
 * first line at or after it is found by binary search ({@link LineFile#seek}), so a recent window of a very large log
 * costs a few dozen reads. Gzipped archives cannot be seeked; they are skipped when older than {@code since} and
 * read through otherwise.
 */
public final class LogReader {

    /** Where reading of the current file stopped: the file (by identity, to notice rotation) and the offset. */
    public record Position(Object fileKey, long offset) {
    }

    /** After a new file takes the name, the old one is read on until it has gone this long without a write... */
    private static final Duration SWITCH_QUIET = Duration.ofSeconds(1);

    /** ...or this long after the new file appeared. */
    private static final Duration SWITCH_LONGEST = Duration.ofSeconds(10);

    /** A file whose name is gone, with no new file in its place, is let go after this long without a write. */
    private static final Duration GONE_QUIET = Duration.ofSeconds(30);

    private final ZoneId zone;
    private final Duration goneQuiet;

    public LogReader(ZoneId zone) {
        this(zone, GONE_QUIET);
    }

    /** As {@link #LogReader(ZoneId)}, letting go of a file whose name is gone after {@code goneQuiet} (for tests). */
    LogReader(ZoneId zone, Duration goneQuiet) {
        this.zone = zone;
        this.goneQuiet = goneQuiet;
    }

    /** Sends every line of {@code log} that passes {@code filter} to {@code sink}, oldest first. */
    public Position read(LogSet log, LogFilter filter, Consumer<LogLine> sink) throws IOException {
        Position end = new Position(null, 0);
        for (Path file : log.files()) {
            boolean current = file.equals(log.current());
            if (!current && filter.since() != null && modified(file).isBefore(filter.since())) {
                continue; // everything in it is older
            }
            if (LogSet.gzipped(file)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 64 * 1024)) {
                    emit(new LineStream(in), log.format(), filter, sink, true);
                }
                continue;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long offset = filter.since() == null ? 0 : LineFile.seek(channel, log.format(), filter.since(), zone);
                channel.position(offset);
                LineStream lines = new LineStream(Channels.newInputStream(channel));
                // the current file may be half-way through a line: leave that for the follower
                emit(lines, log.format(), filter, sink, !current);
                if (current) {
                    end = new Position(fileKey(file), offset + lines.consumed());
                }
            } catch (NoSuchFileException e) {
                // rotated away between listing and opening: its lines are in the next archive
            }
        }
        return end;
    }

    /** Sends the last {@code count} lines of {@code log} that pass {@code filter} to {@code sink}, oldest first. */
    public Position readLast(LogSet log, LogFilter filter, int count, Consumer<LogLine> sink) throws IOException {
        Deque<LogLine> last = new ArrayDeque<>(Math.min(count, 10_000));
        Position end = read(log, filter, line -> {
            if (count > 0) {
                if (last.size() == count) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
        });
        last.forEach(sink);
        return end;
    }

    /**
     * Sends lines added to the current file after {@code from} as they are written, until {@code keepGoing} says stop
     * or the thread is interrupted. When the file is rotated (renamed or removed), the old file is still read, for
     * writers that add to it until they reopen their log (nginx, until the USR1 of logrotate's postrotate script):
     * until a new file has taken its name and the old one has gone a second without a write (ten seconds at most),
     * or, with no new file, until it has gone half a minute without one (so that a removed file's space is freed).
     * Then the rest of the old file is read to its end, and the new file from its start. A file truncated in place is
     * read again from its start.
     */
    public void follow(LogSet log, LogFilter filter, Position from, Consumer<LogLine> sink, Duration poll,
            BooleanSupplier keepGoing) throws IOException, InterruptedException {
        Position position = from;
        while (keepGoing.getAsBoolean()) {
            Object opening = fileKeyOrNull(log.current());
            FileChannel channel = open(log.current(), position);
            if (channel == null) {
                Thread.sleep(poll.toMillis()); // between rename and creation
                position = new Position(null, 0);
                continue;
            }
            try (channel) {
                Object key = fileKeyOrNull(log.current());
                if (key == null || !key.equals(opening)) {
                    continue; // rotated while it was being opened: the channel may be either file
                }
                long offset = position.fileKey() != null && position.fileKey().equals(key) ? position.offset() : 0;
                if (offset > channel.size()) {
                    offset = 0; // truncated in place
                }
                channel.position(offset);
                LineStream lines = new LineStream(Channels.newInputStream(channel));
                position = followOne(log, filter, sink, poll, keepGoing, channel, key, offset, lines);
            }
        }
    }

    /** Follows one file until it is replaced or truncated; returns where a follower should go on. */
    private Position followOne(LogSet log, LogFilter filter, Consumer<LogLine> sink, Duration poll,
            BooleanSupplier keepGoing, FileChannel channel, Object key, long offset, LineStream lines)
            throws IOException, InterruptedException {
        long size = channel.size();
        long written = System.nanoTime();
        Long replaced = null;
        while (keepGoing.getAsBoolean()) {
            emit(lines, log.format(), filter, sink, false);
            long now = System.nanoTime();
            if (channel.size() != size) {
                size = channel.size();
                written = now;
            }
            Object current = fileKeyOrNull(log.current());
            boolean letGo;
            if (current != null && !current.equals(key)) {
                replaced = replaced == null ? now : replaced;
                letGo = now - written >= SWITCH_QUIET.toNanos() || now - replaced >= SWITCH_LONGEST.toNanos();
            } else {
                letGo = current == null && now - written >= goneQuiet.toNanos();
            }
            if (letGo) {
                emit(lines, log.format(), filter, sink, true); // the rest of the old file, then the new one
                return new Position(null, 0);
            }
            if (size < offset + lines.consumed()) {
                return new Position(key, 0);
            }
            Thread.sleep(poll.toMillis());
        }
        return new Position(key, offset + lines.consumed());
    }

    private void emit(LineStream lines, LogFormat format, LogFilter filter, Consumer<LogLine> sink, boolean finished)
            throws IOException {
        String raw;
        while ((raw = lines.next(finished)) != null) {
            if (raw.isEmpty()) {
                continue;
            }
            LogLine line = format.parse(raw, zone);
            if (filter.matches(line)) {
                sink.accept(line);
            }
        }
    }

    private static FileChannel open(Path file, Position position) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Instant modified(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant();
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static Object fileKeyOrNull(Path file) throws IOException {
        try {
            return fileKey(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
