package dev.athanor.media;

import java.util.Optional;

/**
 * The one byte range of a {@code Range: bytes=...} request header that Athanor answers with 206: {@code bytes=0-499},
 * {@code bytes=500-} or {@code bytes=-500}. Anything else (several ranges, other units, nonsense) is ignored and the
 * whole file sent, as HTTP allows.
 */
record ByteRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    /** The header's range within a file of {@code size} bytes; see {@link Outcome}. */
    static Outcome parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return Outcome.whole();
        }
        String spec = header.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Outcome.whole();
        }
        try {
            String start = spec.substring(0, dash).strip();
            String end = spec.substring(dash + 1).strip();
            if (start.isEmpty()) {
                long suffix = Long.parseLong(end);
                if (suffix <= 0) {
                    return Outcome.unsatisfiable();
                }
                return size == 0 ? Outcome.unsatisfiable()
                        : Outcome.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(start);
            long last = end.isEmpty() ? size - 1 : Math.min(Long.parseLong(end), size - 1);
            if (first < 0 || (!end.isEmpty() && Long.parseLong(end) < first)) {
                return Outcome.whole();
            }
            if (first >= size) {
                return Outcome.unsatisfiable();
            }
            return Outcome.of(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return Outcome.whole();
        }
    }

    /** A range to send (206), the whole file (200), or a range past the end (416). */
    record Outcome(Optional<ByteRange> range, boolean satisfiable) {
        static Outcome whole() {
            return new Outcome(Optional.empty(), true);
        }

        static Outcome unsatisfiable() {
            return new Outcome(Optional.empty(), false);
        }

        static Outcome of(ByteRange range) {
            return new Outcome(Optional.of(range), true);
        }
    }
}
