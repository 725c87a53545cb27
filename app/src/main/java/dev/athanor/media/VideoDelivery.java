package dev.athanor.media;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Sends a stored video to a viewer whose access has been checked: from local disk with byte ranges (206,
 * {@code Content-Range}, {@code Accept-Ranges}, {@code If-Range}) so players can seek and downloads resume; or,
 * behind nginx, by handing the transfer to nginx with {@code X-Accel-Redirect}; or from object storage through a
 * short-lived signed URL. The delivery event counts the bytes that went out: those written, when the site streams
 * the file (so a transfer cut short counts what it sent); the requested range's length, when nginx or the bucket
 * sends it (they may send less, if the client goes away first); nothing for a HEAD.
 */
final class VideoDelivery {

    /** HTTP's IMF-fixdate, with its two-digit day (RFC 1123's formatter writes "7 Dec"). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final MediaStore store;
    private final MediaFactory.Delivery delivery;

    VideoDelivery(MediaStore store, MediaFactory.Delivery delivery) {
        this.store = store;
        this.delivery = delivery;
    }

    /**
     * The response for a GET (or HEAD) of {@code video}.
     *
     * @param method the request's method: a HEAD sends no bytes and records none
     * @param sent told how many bytes went out, for the delivery event (after the transfer, when the site streams)
     */
    Response respond(Video video, String method, HttpHeaders request, LongConsumer sent) throws IOException {
        LongConsumer counted = "HEAD".equalsIgnoreCase(method) ? bytes -> { } : sent;
        if (delivery.isAccelRedirect()) {
            requested(request, video.sizeBytes()).ifPresent(counted);
            return Response.ok().header("X-Accel-Redirect", delivery.getAccelPrefix() + video.key())
                    .header(HttpHeaders.CONTENT_TYPE, video.contentType())
                    .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600").build();
        }
        var signed = store.temporaryUrl(video.key(), Duration.ofSeconds(delivery.getSignedUrlSeconds()));
        if (signed.isPresent()) {
            requested(request, video.sizeBytes()).ifPresent(counted);
            return Response.status(Response.Status.FOUND).location(signed.get())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        }
        Path file = store.localFile(video.key()).orElseThrow(() -> new IOException(
                "video " + video.key() + " is missing from the media store"));
        long size = Files.size(file);
        String etag = "\"" + video.sha256().substring(0, 32) + "\"";
        Instant modified = Files.getLastModifiedTime(file).toInstant();

        if (etag.equals(request.getHeaderString("If-None-Match"))) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        ByteRange.Outcome outcome = rangeAllowed(request.getHeaderString("If-Range"), etag, modified)
                ? ByteRange.parse(request.getHeaderString("Range"), size)
                : ByteRange.Outcome.whole();
        Response.ResponseBuilder response;
        if (!outcome.satisfiable()) {
            return Response.status(416).header("Content-Range", "bytes */" + size)
                    .header("Accept-Ranges", "bytes").type("text/plain")
                    .entity("The range asked for starts past the end of the file (" + size + " bytes).\n").build();
        }
        long first = outcome.range().map(ByteRange::first).orElse(0L);
        long length = outcome.range().map(ByteRange::length).orElse(size);
        if (outcome.range().isPresent()) {
            ByteRange range = outcome.range().get();
            response = Response.status(206).header("Content-Range",
                    "bytes " + range.first() + "-" + range.last() + "/" + size);
        } else {
            response = Response.ok();
        }
        return response.entity(region(file, first, length, counted))
                .header(HttpHeaders.CONTENT_TYPE, video.contentType())
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.LAST_MODIFIED, HTTP_DATE.format(modified))
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                .build();
    }

    /** {@code If-Range} lets a range through only when the file is the one the client started with. */
    private static boolean rangeAllowed(String ifRange, String etag, Instant modified) {
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return ifRange.equals(etag);
        }
        try {
            Instant since = Instant.from(HTTP_DATE.parse(ifRange));
            return !modified.isAfter(since.plusSeconds(1).minusNanos(1));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * How many bytes nginx or the bucket will send for the request's {@code Range}: the range's length, or the whole
     * file; empty for a range past the end (they answer 416). Their own If-Range checks are not second-guessed.
     */
    private static OptionalLong requested(HttpHeaders request, long size) {
        ByteRange.Outcome outcome = ByteRange.parse(request.getHeaderString("Range"), size);
        return outcome.satisfiable() ? OptionalLong.of(outcome.range().map(ByteRange::length).orElse(size))
                : OptionalLong.empty();
    }

    private static StreamingOutput region(Path file, long first, long length, LongConsumer sent) {
        return output -> copy(file, first, length, output, sent);
    }

    /**
     * Copies the region and tells {@code sent} how much of it the server took, also when the client went away: the
     * chunks written before the failing one.
     */
    private static void copy(Path file, long first, long length, OutputStream output, LongConsumer sent)
            throws IOException {
        long written = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] chunk = new byte[64 * 1024];
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            long position = first;
            long remaining = length;
            while (remaining > 0) {
                buffer.clear();
                if (remaining < buffer.capacity()) {
                    buffer.limit((int) remaining);
                }
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new IOException("video file " + file + " ended early");
                }
                output.write(chunk, 0, read);
                written += read;
                position += read;
                remaining -= read;
            }
        } finally {
            if (written > 0) {
                sent.accept(written);
            }
        }
    }
}
