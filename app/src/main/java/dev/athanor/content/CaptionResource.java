package dev.athanor.content;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.content.Pages.CaptionFile;
import dev.athanor.content.Pages.LessonPage;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Viewers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/**
 * A lesson's caption files ({@code /courses/COURSE/LESSON/captions/en.vtt}), served by the site itself with the
 * video's own access check: a free lesson's to everyone, a subscriber lesson's to those who may watch it (403 for the
 * others, as its video answers). Same-origin, so the player's {@code <track>} needs no CORS and no bucket.
 */
@Path("/courses/{course}/{lesson}/captions")
public final class CaptionResource {

    static final String VTT = "text/vtt; charset=utf-8";

    private final Content content;
    private final Viewers viewers;

    public CaptionResource(Content content, Viewers viewers) {
        this.content = content;
        this.viewers = viewers;
    }

    @GET
    @Path("{language}.vtt")
    @Timed
    public Response captions(@PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug,
            @PathParam("language") String language, @Context HttpServletRequest request,
            @Context Request conditions) {
        Viewer viewer = viewers.resolve(request);
        LessonPage lesson = content.lesson(courseSlug, lessonSlug, viewer).orElseThrow(NotFoundException::new);
        CaptionFile file = content.captionFile(lesson.id(), language).orElseThrow(NotFoundException::new);
        if (!content.mayWatch(lesson, viewer)) {
            throw new ForbiddenException("subscribers only");
        }
        EntityTag tag = new EntityTag(file.sha256());
        String cacheControl = lesson.free() ? "public, max-age=300" : "private, max-age=300";
        Response.ResponseBuilder unchanged = conditions.evaluatePreconditions(tag);
        if (unchanged != null) {
            return unchanged.header("Cache-Control", cacheControl).build();
        }
        return Response.ok(file.vtt().getBytes(StandardCharsets.UTF_8), VTT).tag(tag)
                .header("Cache-Control", cacheControl).build();
    }
}
