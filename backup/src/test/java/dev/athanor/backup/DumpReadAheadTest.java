package dev.athanor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reading ahead hands over exactly the stream's bytes, in order, whatever was read ahead: a limit spanning several
 * pieces, a limit beyond the stream's end, a take-over while a read waits for its writer; and a failed read reaches the
 * reader.
 */
class DumpReadAheadTest {

    private static final int PIECE = DumpReadAhead.PIECE;

    @Test
    void aLimitOfSeveralPiecesThenTheRest() throws Exception {
        byte[] data = random(3 * PIECE + 12_345);
        InputStream input = new ByteArrayInputStream(data);
        DumpReadAhead ahead = new DumpReadAhead(input, 2 * PIECE + 100);
        awaitRead(input, data.length - (2 * PIECE + 100));

        assertThat(ahead.takeOver(input).readAllBytes()).isEqualTo(data);
    }

    @Test
    void aLimitBeyondTheEnd() throws Exception {
        byte[] data = random(PIECE + 7);
        InputStream input = new ByteArrayInputStream(data);
        DumpReadAhead ahead = new DumpReadAhead(input, 8 * PIECE);
        awaitRead(input, 0);

        assertThat(ahead.takeOver(input).readAllBytes()).isEqualTo(data);
    }

    @Test
    void takenOverWhileAReadWaitsForItsWriter() throws Exception {
        byte[] data = random(PIECE + PIECE / 2);
        CountDownLatch halfAPieceRead = new CountDownLatch(1);
        // half a piece at once, then nothing for a while (a writer that pauses), then the rest
        InputStream input = new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] bytes, int offset, int length) {
                if (position == data.length) {
                    return -1;
                }
                if (position == PIECE / 2) {
                    halfAPieceRead.countDown();
                    pause();
                }
                int end = position < PIECE / 2 ? PIECE / 2 : data.length;
                int count = Math.min(length, end - position);
                System.arraycopy(data, position, bytes, offset, count);
                position += count;
                return count;
            }
        };
        DumpReadAhead ahead = new DumpReadAhead(input, 4 * PIECE);
        assertThat(halfAPieceRead.await(5, TimeUnit.SECONDS)).isTrue();

        // the read-ahead is in the middle of its first piece, waiting for the rest of it
        assertThat(ahead.takeOver(input).readAllBytes()).isEqualTo(data);
    }

    @Test
    void aFailedReadReachesTheReader() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                return read(new byte[1], 0, 1);
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                reading.countDown();
                throw new IOException("the pipe broke");
            }
        };
        DumpReadAhead ahead = new DumpReadAhead(failing, PIECE);
        // once the read-ahead is reading, its failure is what the take-over meets
        assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> ahead.takeOver(failing)).isInstanceOf(IOException.class)
                .hasMessage("the pipe broke");
    }

    @Test
    void discardedPiecesAreNotHandedOver() throws Exception {
        byte[] data = random(2 * PIECE);
        InputStream input = new ByteArrayInputStream(data);
        DumpReadAhead ahead = new DumpReadAhead(input, 2 * PIECE);
        awaitRead(input, 0);

        ahead.discard();

        assertThat(ahead.takeOver(input).readAllBytes()).isEmpty();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** Waits until the read-ahead has left only {@code left} bytes of {@code input}. */
    private static void awaitRead(InputStream input, int left) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (input.available() > left && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(input.available()).isEqualTo(left);
    }
}
