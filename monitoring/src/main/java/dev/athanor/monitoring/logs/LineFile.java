package dev.athanor.monitoring.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Positional reads of lines in a plain (not compressed) log file, for seeking: the line that starts at an offset, and
 * the first line at or after a time by binary search, so that {@code --since} on a gigabyte file reads a few dozen
 * blocks instead of the whole file.
 */
final class LineFile {

    /** A line and the offset just past its line break. */
    record Line(String text, long next) {
    }

    private static final int BLOCK = 8192;
    /** Below this many bytes the search scans forward instead of halving again. */
    private static final long SCAN = 64 * 1024;

    private LineFile() {
    }

    /**
     * The complete line starting at {@code offset}, or null when none starts there (end of file, or a last line still
     * being written when {@code complete} is required).
     */
    static Line lineAt(FileChannel channel, long offset, boolean requireNewline) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        byte[] collected = new byte[0];
        long position = offset;
        while (true) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read <= 0) {
                if (collected.length == 0 || requireNewline) {
                    return null;
                }
                return new Line(decode(collected, collected.length), position);
            }
            byte[] bytes = buffer.array();
            for (int i = 0; i < read; i++) {
                if (bytes[i] == '\n') {
                    byte[] line = concat(collected, bytes, i);
                    return new Line(decode(line, line.length), position + i + 1);
                }
            }
            collected = concat(collected, bytes, read);
            position += read;
        }
    }

    /** The offset of the first line starting at or after {@code offset} (the offset itself if it starts one). */
    static long nextLineStart(FileChannel channel, long offset) throws IOException {
        if (offset == 0) {
            return 0;
        }
        Line rest = lineAt(channel, offset - 1, false); // from the byte before: a '\n' there means offset starts a line
        return rest == null ? channel.size() : rest.next();
    }

    /** The offset of the first line whose time is at or after {@code since}; the file's size when there is none. */
    static long seek(FileChannel channel, LogFormat format, Instant since, ZoneId zone) throws IOException {
        long low = 0; // always the start of a line older than since, or 0
        long high = channel.size();
        while (high - low > SCAN) {
            long middle = nextLineStart(channel, low + (high - low) / 2);
            if (middle >= high) {
                break;
            }
            Instant time = firstTime(channel, format, middle, high, zone);
            if (time != null && time.isBefore(since)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        long offset = low;
        while (offset < channel.size()) {
            Line line = lineAt(channel, offset, false);
            if (line == null) {
                break;
            }
            Instant time = format.timeOf(line.text(), zone);
            if (time != null && !time.isBefore(since)) {
                return offset;
            }
            offset = line.next();
        }
        return channel.size();
    }

    /** The time of the first line from {@code offset} that has one, looking no further than {@code limit}. */
    private static Instant firstTime(FileChannel channel, LogFormat format, long offset, long limit, ZoneId zone)
            throws IOException {
        long position = offset;
        for (int tries = 0; tries < 50 && position < limit; tries++) {
            Line line = lineAt(channel, position, false);
            if (line == null) {
                return null;
            }
            Instant time = format.timeOf(line.text(), zone);
            if (time != null) {
                return time;
            }
            position = line.next();
        }
        return null;
    }

    private static byte[] concat(byte[] first, byte[] second, int secondLength) {
        byte[] joined = new byte[first.length + secondLength];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, secondLength);
        return joined;
    }

    private static String decode(byte[] bytes, int length) {
        int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
