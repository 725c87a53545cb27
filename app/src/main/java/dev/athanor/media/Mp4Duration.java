package dev.athanor.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalInt;

/**
 * Reads a video's duration from its MP4 (ISO base media) header: the {@code mvhd} box inside {@code moov} holds a
 * time scale and a duration in that scale. Only the box headers are read, never the media data, so this is quick
 * even for a large file.
 */
final class Mp4Duration {

    private static final int HEADER = 8;

    private Mp4Duration() {
    }

    /** The duration in whole seconds (rounded), or empty when the file has no readable MP4 header. */
    static OptionalInt read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long moov = find(channel, 0, channel.size(), "moov");
            if (moov < 0) {
                return OptionalInt.empty();
            }
            long moovEnd = moov + boxSize(channel, moov);
            long mvhd = find(channel, moov + HEADER, moovEnd, "mvhd");
            if (mvhd < 0) {
                return OptionalInt.empty();
            }
            ByteBuffer box = ByteBuffer.allocate(32);
            channel.read(box, mvhd + HEADER);
            box.flip();
            if (box.remaining() < 20 || (box.get(0) == 1 && box.remaining() < 32)) {
                return OptionalInt.empty();
            }
            // version (1 byte), flags (3), then creation and modification times: 4 bytes each in version 0,
            // 8 in version 1, then the time scale (4) and the duration (4, or 8 in version 1).
            int version = box.get(0) & 0xff;
            long timescale = Integer.toUnsignedLong(box.getInt(version == 1 ? 20 : 12));
            long duration = version == 1 ? box.getLong(24) : Integer.toUnsignedLong(box.getInt(16));
            if (timescale == 0) {
                return OptionalInt.empty();
            }
            return OptionalInt.of((int) Math.round((double) duration / timescale));
        }
    }

    /** The offset of the first box of {@code type} between {@code from} and {@code to}, or -1. */
    private static long find(FileChannel channel, long from, long to, String type) throws IOException {
        long offset = from;
        while (offset + HEADER <= to) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            if (channel.read(header, offset) < HEADER) {
                return -1;
            }
            header.flip();
            header.position(4);
            String name = new String(new byte[] {header.get(), header.get(), header.get(), header.get()},
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            if (name.equals(type)) {
                return offset;
            }
            long size = boxSize(channel, offset);
            if (size < HEADER) {
                return -1;
            }
            offset += size;
        }
        return -1;
    }

    /** A box's size: 32 bits, or 64 bits after the type when the 32 bits say 1, or to the end when they say 0. */
    private static long boxSize(FileChannel channel, long offset) throws IOException {
        ByteBuffer size = ByteBuffer.allocate(16);
        channel.read(size, offset);
        size.flip();
        long small = Integer.toUnsignedLong(size.getInt(0));
        if (small == 1 && size.limit() >= 16) {
            return size.getLong(8);
        }
        if (small == 0) {
            return channel.size() - offset;
        }
        return small;
    }
}
