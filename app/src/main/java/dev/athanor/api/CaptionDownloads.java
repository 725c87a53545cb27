package dev.athanor.api;

import dev.athanor.content.Content;
import dev.athanor.content.Pages.CaptionFile;
import dev.athanor.content.SyncCatalogue;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lesson's caption files for the API and the private feed: listed beside the video (language, label, address), and
 * sent as WebVTT to a live token of an entitled learner, as the video is.
 */
final class CaptionDownloads {

    private static final String VTT = "text/vtt; charset=utf-8";

    private CaptionDownloads() {
    }

    /** The lesson's captions as the API lists them, each at {@code base + LANGUAGE}. */
    static List<Map<String, Object>> listed(SyncCatalogue.Lesson lesson, String base) {
        return lesson.captions().stream().map(caption -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("language", caption.language());
            json.put("label", caption.label());
            json.put("url", base + caption.language());
            return json;
        }).toList();
    }

    /** The lesson's caption file in {@code language}, named {@code fileName} when saved; a JSON 404 without one. */
    static Response send(Content content, SyncCatalogue.Lesson lesson, String language, String fileName) {
        CaptionFile file = content.captionFile(lesson.id(), language).orElseThrow(() -> ApiError.notFound(
                "The lesson " + lesson.slug() + " has no captions in that language."));
        return Response.ok(file.vtt().getBytes(StandardCharsets.UTF_8), VTT).tag(new EntityTag(file.sha256()))
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .header("Cache-Control", "private, no-store").build();
    }
}
