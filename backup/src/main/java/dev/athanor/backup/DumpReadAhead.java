package dev.athanor.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Deque;
import java.util.Enumeration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;

/**
 * A stream read ahead into pieces of memory, on a thread of its own, until a limit, its end, or the one reader taking
 * over: then the reader gets what was read, followed by the rest of the stream. Each piece is let go once read.
 */
final class DumpReadAhead {

    static final int PIECE = 256 * 1024;

    private final Deque<byte[]> pieces = new ConcurrentLinkedDeque<>();
    private final CompletableFuture<Void> reading;
    private volatile boolean stopped;
    private volatile boolean discarded;

    DumpReadAhead(InputStream input, int limit) {
        reading = Background.supply("backup-read-ahead", () -> {
            int total = 0;
            while (!stopped && total < limit) {
                byte[] piece = input.readNBytes(Math.min(PIECE, limit - total));
                if (piece.length == 0) {
                    break;
                }
                pieces.add(piece);
                if (discarded) {
                    pieces.clear();
                    break;
                }
                total += piece.length;
            }
            return null;
        });
    }

    /**
     * Stops reading ahead (once the piece being read is complete, or the stream ends) and returns what was read
     * followed by the rest of {@code input}, the stream being read.
     *
     * @throws IOException what reading ahead met
     */
    InputStream takeOver(InputStream input) throws IOException, InterruptedException {
        stopped = true;
        try {
            reading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("reading ahead failed: " + e.getCause().getMessage(), e.getCause());
        }
        Enumeration<InputStream> streams = new Enumeration<>() {
            private boolean inputGiven;

            @Override
            public boolean hasMoreElements() {
                return !pieces.isEmpty() || !inputGiven;
            }

            @Override
            public InputStream nextElement() {
                byte[] piece = pieces.poll();
                if (piece != null) {
                    return new ByteArrayInputStream(piece);
                }
                if (inputGiven) {
                    throw new NoSuchElementException();
                }
                inputGiven = true;
                return input;
            }
        };
        return new SequenceInputStream(streams);
    }

    /** Stops reading ahead and lets go of what was read; the stream must end (or be closed) for the reading to stop. */
    void discard() {
        discarded = true;
        stopped = true;
        pieces.clear();
    }
}
