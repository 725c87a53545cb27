package dev.athanor.content;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.content.Pages.LessonPage;
import dev.athanor.events.Events;
import dev.athanor.platform.web.Csrf;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Viewers;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** The course catalogue, each course, each lesson, and a lesson's video and progress. */
@Path("/courses")
@Produces(Web.HTML)
public final class CourseResource {

    /** How a page rendered for one viewer may be kept: by their browser only, and checked again before reuse. */
    private static final String PRIVATE = "private, no-cache";

    private final Content content;
    private final Web web;
    private final Viewers viewers;
    private final Events events;

    public CourseResource(Content content, Web web, Viewers viewers, Events events) {
        this.content = content;
        this.web = web;
        this.viewers = viewers;
        this.events = events;
        web.learnerPage("/courses", 1, PRIVATE, (slugs, viewer, request) -> coursePage(slugs.get(0), viewer));
        web.learnerPage("/courses", 2, PRIVATE, (slugs, viewer, request) -> lessonPage(slugs.get(0), slugs.get(1),
                viewer));
    }

    @GET
    @Timed
    public Response catalogue(@Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        return web.page(request, response, Set.of("courses"), () -> new ContentViews.Catalogue(web.layout(), content.courses()));
    }

    @GET
    @Path("{course}")
    @Timed
    public Response course(@PathParam("course") String slug, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Viewer viewer = viewers.resolve(request);
        var page = coursePage(slug, viewer);
        if (page.isEmpty()) {
            return moved(content.redirect("course", slug));
        }
        return web.page(request, response, Set.of("course:" + slug), page::get);
    }

    @GET
    @Path("{course}/{lesson}")
    @Timed
    public Response lesson(@PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug,
            @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Viewer viewer = viewers.resolve(request);
        var page = lessonPage(courseSlug, lessonSlug, viewer);
        if (page.isEmpty()) {
            return moved(renamed(courseSlug, lessonSlug, ""));
        }
        return web.page(request, response, Set.of("course:" + courseSlug), page::get);
    }

    /** A course's page as {@code viewer} sees it; empty when no published course has the slug. */
    private Optional<ContentViews.Course> coursePage(String slug, Viewer viewer) {
        return content.course(slug, viewer).map(course -> new ContentViews.Course(web.layout(), course,
                viewer.isSignedIn()));
    }

    /** A lesson's page as {@code viewer} sees it; empty when the course has no published lesson of that slug. */
    private Optional<ContentViews.Lesson> lessonPage(String courseSlug, String lessonSlug, Viewer viewer) {
        return content.lesson(courseSlug, lessonSlug, viewer).map(page -> {
            var access = content.access(viewer);
            boolean canWatch = page.free() || access.entitled();
            String graceUntil = access.graceUntil().map(end -> java.time.LocalDate.ofInstant(end,
                    java.time.ZoneOffset.UTC).toString()).orElse(null);
            return new ContentViews.Lesson(web.layout(), page, canWatch, viewer.isSignedIn(),
                    content.resumeAt(page, viewer), graceUntil);
        });
    }

    @GET
    @Path("{course}/{lesson}/video")
    @Timed
    public Response video(@PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug,
            @Context HttpServletRequest request, @Context HttpHeaders headers) throws IOException {
        Viewer viewer = viewers.resolve(request);
        LessonPage lesson = content.lesson(courseSlug, lessonSlug, viewer).orElseThrow(NotFoundException::new);
        var video = lesson.video().flatMap(info -> content.media().video(info.videoId()))
                .orElseThrow(NotFoundException::new);
        if (!content.mayWatch(lesson, viewer)) {
            throw new ForbiddenException("subscribers only");
        }
        return content.media().deliver(video, request.getMethod(), headers,
                bytes -> events.videoDelivered(viewer.learnerId().orElse(null), lesson.id(), bytes));
    }

    /** The player's report of where the learner is: {@code {"position": seconds}}. */
    @POST
    @Path("{course}/{lesson}/progress")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Timed
    public Response progress(@PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug,
            PositionReport report, @Context HttpServletRequest request) {
        Viewer viewer = learner(request, null);
        LessonPage lesson = content.lesson(courseSlug, lessonSlug, viewer).orElseThrow(NotFoundException::new);
        if (report == null || report.position() < 0) {
            return Response.status(400).entity("{\"error\":\"position must be a number of seconds\"}").build();
        }
        if (!content.reportProgress(viewer, lesson, report.position())) {
            throw new ForbiddenException("subscribers only");
        }
        return Response.noContent().build();
    }

    /** The "Mark as complete" form; answers with a redirect back to the lesson, so it works without script. */
    @POST
    @Path("{course}/{lesson}/complete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Timed
    public Response complete(@PathParam("course") String courseSlug, @PathParam("lesson") String lessonSlug,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request) {
        Viewer viewer = learner(request, csrf);
        LessonPage lesson = content.lesson(courseSlug, lessonSlug, viewer).orElseThrow(NotFoundException::new);
        if (!content.markComplete(viewer, lesson)) {
            throw new ForbiddenException("subscribers only");
        }
        return Response.seeOther(URI.create(lesson.url())).build();
    }

    /** What the player reports. */
    public record PositionReport(int position) {
    }

    /** The signed-in learner making a state-changing request with this site's form token (form or header). */
    private Viewer learner(HttpServletRequest request, String formToken) {
        Viewer viewer = viewers.resolve(request);
        if (!viewer.isSignedIn()) {
            throw new NotAuthorizedException("sign in first", "Session");
        }
        web.csrf().check(request, formToken);
        return viewer;
    }

    /** The new address of a renamed lesson, or of a lesson under a renamed course. */
    private java.util.Optional<String> renamed(String courseSlug, String lessonSlug, String suffix) {
        return content.redirect("lesson", courseSlug + "/" + lessonSlug).map(url -> url + suffix)
                .or(() -> content.redirect("course", courseSlug).map(url -> url + "/" + lessonSlug + suffix));
    }

    private static Response moved(java.util.Optional<String> target) {
        return target.map(url -> Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create(url))
                .build()).orElseThrow(NotFoundException::new);
    }
}
