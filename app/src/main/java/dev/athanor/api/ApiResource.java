package dev.athanor.api;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.content.Content;
import dev.athanor.content.SyncCatalogue;
import dev.athanor.events.Events;
import dev.athanor.media.Media;
import dev.athanor.media.Video;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subscriber API, version 1: the catalogue (paginated, with {@code since} for sync scripts), one course, one
 * lesson, and downloads (a signed URL for bucket storage, the file with Range support from disk; caption files as
 * WebVTT). Every call needs a live token of an entitled learner; errors are JSON with a stable code. Described at
 * {@code /api/v1/openapi.json}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiResource {

    private static final int MAX_PER_PAGE = 100;
    /** The times {@code since} may name: years 1 to 9999. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private final ApiAccess access;
    private final Content content;
    private final Media media;
    private final Events events;
    private final String baseUrl;
    private final byte[] openApi;

    ApiResource(ApiAccess access, Content content, Media media, Events events, String baseUrl) {
        this.access = access;
        this.content = content;
        this.media = media;
        this.events = events;
        this.baseUrl = baseUrl;
        try (InputStream in = ApiResource.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("courses")
    @Timed
    public Map<String, Object> courses(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("page") String page, @QueryParam("per_page") String perPage,
            @QueryParam("since") String since) {
        access.bearer(authorization);
        int pageNumber = number("page", page, 1, 1, Integer.MAX_VALUE);
        int size = number("per_page", perPage, 20, 1, MAX_PER_PAGE);
        String sinceText = since == null ? null : unmangled(since.strip());
        Optional<Instant> after = instant(sinceText);
        List<SyncCatalogue.Course> courses = content.catalogue(after);
        int from = (int) Math.min((long) (pageNumber - 1) * size, courses.size());
        int to = Math.min(from + size, courses.size());
        List<Map<String, Object>> data = new ArrayList<>();
        for (SyncCatalogue.Course course : courses.subList(from, to)) {
            data.add(course(course));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", data);
        after.ifPresent(time -> answer.put("removed", content.catalogueRemovals(time).stream()
                .map(ApiResource::removal).toList()));
        answer.put("page", pageNumber);
        answer.put("per_page", size);
        answer.put("total", courses.size());
        answer.put("next", to < courses.size() ? baseUrl + "/api/v1/courses?page=" + (pageNumber + 1)
                + "&per_page=" + size + (after.isEmpty() ? "" : "&since="
                        + URLEncoder.encode(sinceText, StandardCharsets.UTF_8)) : null);
        return answer;
    }

    @GET
    @Path("courses/{course}")
    @Timed
    public Map<String, Object> course(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("course") String courseSlug) {
        access.bearer(authorization);
        return course(find(courseSlug));
    }

    @GET
    @Path("courses/{course}/lessons/{lesson}")
    @Timed
    public Map<String, Object> lesson(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug) {
        access.bearer(authorization);
        SyncCatalogue.Course course = find(courseSlug);
        return lesson(course, find(course, lessonSlug));
    }

    @GET
    @Path("courses/{course}/lessons/{lesson}/download")
    @Produces(MediaType.WILDCARD)
    @Timed
    public Response download(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug,
            @Context HttpServletRequest request, @Context HttpHeaders headers) {
        long learner = access.bearer(authorization);
        SyncCatalogue.Course course = find(courseSlug);
        return deliver(learner, course, find(course, lessonSlug), request, headers, media, events);
    }

    @GET
    @Path("courses/{course}/lessons/{lesson}/captions/{language}")
    @Produces(MediaType.WILDCARD)
    @Timed
    public Response captions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug,
            @PathParam("language") String language) {
        access.bearer(authorization);
        SyncCatalogue.Course course = find(courseSlug);
        SyncCatalogue.Lesson lesson = find(course, lessonSlug);
        String name = fileName(course, lesson);
        return CaptionDownloads.send(content, lesson, language, name.substring(0, name.length() - 4) + "." + language
                + ".vtt");
    }

    @GET
    @Path("openapi.json")
    public Response openApi() {
        return Response.ok(openApi, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "public, max-age=300")
                .build();
    }

    /** Anything else under /api/v1 is a JSON 404 too (not the site's HTML page). */
    @GET
    @Path("{any: .+}")
    public Response unknown(@PathParam("any") String path) {
        throw ApiError.notFound("There is no " + quote("/api/v1/" + path) + "; see /api/v1/openapi.json.");
    }

    /**
     * Sends a lesson's video to an entitled learner as a download, and records the bytes sent (none for HEAD: the
     * servlet request's method, since Jersey answers a HEAD with the GET method, calling it a GET).
     */
    static Response deliver(long learner, SyncCatalogue.Course course, SyncCatalogue.Lesson lesson,
            HttpServletRequest request, HttpHeaders headers, Media media, Events events) {
        Video video = lesson.videoId().flatMap(media::video)
                .orElseThrow(() -> ApiError.notFound("The lesson " + lesson.slug() + " has no video."));
        try {
            Response response = media.deliver(video, request.getMethod(), headers,
                    bytes -> events.downloaded(learner, lesson.id(), bytes));
            return Response.fromResponse(response).header("Content-Disposition", "attachment; filename=\""
                    + fileName(course, lesson) + "\"").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fileName(SyncCatalogue.Course course, SyncCatalogue.Lesson lesson) {
        return course.slug() + "-" + String.format("%02d", lesson.number()) + "-" + lesson.slug() + ".mp4";
    }

    private SyncCatalogue.Course find(String slug) {
        return content.catalogueCourse(slug).orElseThrow(() -> ApiError.notFound("No course " + quote(slug) + "."));
    }

    static SyncCatalogue.Lesson find(SyncCatalogue.Course course, String slug) {
        return course.lessons().stream().filter(lesson -> lesson.slug().equals(slug)).findFirst()
                .orElseThrow(() -> ApiError.notFound("No lesson " + quote(slug) + " in " + course.slug() + "."));
    }

    private Map<String, Object> course(SyncCatalogue.Course course) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("slug", course.slug());
        json.put("title", course.title());
        json.put("summary", course.summary());
        json.put("url", baseUrl + course.url());
        json.put("changed_at", course.changedAt().toString());
        json.put("lessons", course.lessons().stream().map(lesson -> lesson(course, lesson)).toList());
        return json;
    }

    private static Map<String, Object> removal(SyncCatalogue.Removal removal) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("slug", removal.slug());
        json.put("removed_at", removal.unpublishedAt().toString());
        return json;
    }

    private Map<String, Object> lesson(SyncCatalogue.Course course, SyncCatalogue.Lesson lesson) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("slug", lesson.slug());
        json.put("title", lesson.title());
        json.put("number", lesson.number());
        json.put("free", lesson.free());
        json.put("url", baseUrl + lesson.url());
        json.put("changed_at", lesson.changedAt().toString());
        json.put("video", lesson.videoId().flatMap(media::video).map(video -> {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("content_type", video.contentType());
            file.put("duration_seconds", video.durationSeconds());
            file.put("size_bytes", video.sizeBytes());
            file.put("sha256", video.sha256());
            file.put("file_name", fileName(course, lesson));
            String lessonApi = baseUrl + "/api/v1/courses/" + course.slug() + "/lessons/" + lesson.slug();
            file.put("download_url", lessonApi + "/download");
            file.put("captions", CaptionDownloads.listed(lesson, lessonApi + "/captions/"));
            return file;
        }).orElse(null));
        return json;
    }

    private static int number(String name, String text, int fallback, int min, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest(name + " must be a whole number from " + min + " to " + max + ", not "
                + quote(text) + ".");
    }

    /**
     * {@code since} as the client meant it: an offset's {@code +} sent unencoded arrives as a space
     * ({@code 2026-11-01T10:00:00 01:00}), which is put back.
     */
    private static String unmangled(String since) {
        return since.replaceFirst("^(\\S+T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$", "$1+$2");
    }

    /** {@code since} as an instant within years 1 to 9999 (the database holds no other). */
    private static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Instant parsed;
        try {
            parsed = Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            try {
                parsed = LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw ApiError.badRequest("since must be a time such as 2026-11-01T00:00:00Z or a date such as"
                        + " 2026-11-01, not " + quote(text) + ".");
            }
        }
        if (parsed.isBefore(EARLIEST) || !parsed.isBefore(LATEST)) {
            throw ApiError.badRequest("since must be between the years 1 and 9999, not " + quote(text) + ".");
        }
        return Optional.of(parsed);
    }

    private static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
