package dev.athanor.monitoring.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines read one after another from a stream, with the count of bytes consumed by complete lines, so that a follower
 * knows where to go on from. A last line without its line break is returned only at the end of a finished file
 * ({@link #next(boolean)} with {@code atEnd}); a follower leaves it in the buffer until the rest arrives.
 */
final class LineStream {

    private final InputStream in;
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private long consumed;

    LineStream(InputStream in) {
        this.in = in;
    }

    /**
     * The next complete line, or null when no complete line is available now.
     *
     * @param finished the file will not grow: a trailing line without a line break counts as complete
     */
    String next(boolean finished) throws IOException {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    String line = decode(start, i);
                    consumed += i + 1 - start;
                    start = i + 1;
                    return line;
                }
            }
            if (!fill()) {
                if (finished && end > start) {
                    String line = decode(start, end);
                    consumed += end - start;
                    start = end;
                    return line;
                }
                return null;
            }
        }
    }

    /** Bytes consumed by the lines returned so far. */
    long consumed() {
        return consumed;
    }

    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2); // a line longer than the buffer (a long stack trace)
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read <= 0) {
            return false;
        }
        end += read;
        return true;
    }

    private String decode(int from, int to) {
        int stop = to > from && buffer[to - 1] == '\r' ? to - 1 : to;
        return new String(buffer, from, stop - from, StandardCharsets.UTF_8);
    }
}
