package dev.athanor.media;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The media context's public face: video and image files stored (on local disk or in a bucket) and delivered to
 * viewers whose access another context has already checked.
 */
public final class Media {

    private static final Map<String, String> VIDEO_TYPES = Map.of(".mp4", "video/mp4", ".m4v", "video/mp4",
            ".webm", "video/webm", ".mov", "video/quicktime");
    private static final Map<String, String> IMAGE_TYPES = Map.of(".png", "image/png", ".jpg", "image/jpeg",
            ".jpeg", "image/jpeg", ".webp", "image/webp", ".svg", "image/svg+xml", ".gif", "image/gif");

    private final MediaStore store;
    private final Jdbi jdbi;
    private final VideoDelivery delivery;
    /** Video rows hardly ever change and every lesson page reads them: kept for a while, dropped on change. */
    private final Cache<Long, Video> videos = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(java.time.Duration.ofMinutes(10)).build();

    Media(MediaStore store, Jdbi jdbi, MediaFactory.Delivery delivery) {
        this.store = store;
        this.jdbi = jdbi;
        this.delivery = new VideoDelivery(store, delivery);
    }

    /**
     * Stores a video file and records it, within the caller's transaction ({@code handle}). The duration comes from
     * {@code duration} or, when absent, from the file's MP4 header.
     */
    public Video registerVideo(Handle handle, Path file, OptionalInt duration) throws MediaException {
        String type = VIDEO_TYPES.get(LocalMediaStore.extension(file));
        if (type == null) {
            throw new MediaException("not a video this site serves (" + String.join(", ", VIDEO_TYPES.keySet())
                    + "): " + file.getFileName());
        }
        try {
            int seconds = duration.isPresent() ? duration.getAsInt() : Mp4Duration.read(file).orElseThrow(() ->
                    new MediaException("cannot read the duration of " + file.getFileName()
                            + "; give it as 'duration: M:SS'"));
            StoredFile stored = store.store(file, "videos", type);
            Video video = handle.attach(VideoDao.class).save(stored.key(), type, stored.sizeBytes(), stored.sha256(),
                    seconds);
            videos.invalidate(video.id());
            return video;
        } catch (IOException e) {
            throw new MediaException("could not store " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Stores an image (a course cover) and returns its key. */
    public String storeImage(Path file) throws MediaException {
        String type = IMAGE_TYPES.get(LocalMediaStore.extension(file));
        if (type == null) {
            throw new MediaException("not an image this site serves (" + String.join(", ", IMAGE_TYPES.keySet())
                    + "): " + file.getFileName());
        }
        try {
            return store.store(file, "images", type).key();
        } catch (IOException e) {
            throw new MediaException("could not store " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code file} is of a video type this site serves (by its extension). */
    public static boolean isVideo(Path file) {
        return VIDEO_TYPES.containsKey(LocalMediaStore.extension(file));
    }

    /** Whether {@code file} is of an image type this site serves (by its extension). */
    public static boolean isImage(Path file) {
        return IMAGE_TYPES.containsKey(LocalMediaStore.extension(file));
    }

    /** A video's duration in seconds from its MP4 header, or empty when it has none that can be read. */
    public static OptionalInt videoDuration(Path file) throws IOException {
        return Mp4Duration.read(file);
    }

    /** The videos with the given ids, by id. */
    public Map<Long, Video> videos(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return videos.getAll(ids, missing -> jdbi.withExtension(VideoDao.class, dao -> dao.videos(List.copyOf(missing)))
                .stream().collect(Collectors.toMap(Video::id, video -> video)));
    }

    public Optional<Video> video(long id) {
        return Optional.ofNullable(videos(List.of(id)).get(id));
    }

    /**
     * Sends {@code video} in answer to a GET or HEAD ({@code method}); {@code sent} learns how many bytes went out,
     * for the delivery event (see {@link VideoDelivery}).
     */
    public Response deliver(Video video, String method, HttpHeaders request, LongConsumer sent) throws IOException {
        return delivery.respond(video, method, request, sent);
    }

    /** Sends a public image (immutable under its content-addressed key), or 404. */
    public Response image(String key) {
        String type = IMAGE_TYPES.get(key.substring(Math.max(0, key.lastIndexOf('.'))).toLowerCase(Locale.ROOT));
        if (!key.startsWith("images/") || type == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        Optional<java.net.URI> signed = store.temporaryUrl(key, java.time.Duration.ofHours(1));
        if (signed.isPresent()) {
            return Response.status(Response.Status.FOUND).location(signed.get())
                    .header(HttpHeaders.CACHE_CONTROL, "public, max-age=1800").build();
        }
        return store.localFile(key)
                .map(file -> Response.ok(file.toFile(), type)
                        .header(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable").build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).build());
    }
}
