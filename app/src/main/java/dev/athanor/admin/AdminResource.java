package dev.athanor.admin;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.content.Content;
import dev.athanor.content.ContentImportException;
import dev.athanor.content.ImportReport;
import dev.athanor.events.Events;
import dev.athanor.platform.web.Csrf;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Optional;
import org.glassfish.jersey.media.multipart.FormDataParam;

/**
 * The operator pages: the content with its state, publish and unpublish by hand, re-import from the configured
 * folder or from an uploaded zip, and the activity counts. For operators only (an account with the operator role,
 * made by {@code ops users create-admin}); never cached; every form carries the form token.
 */
@Path("/admin")
@Produces(Web.HTML)
public final class AdminResource {

    /** Where an operator's content zip is sent: the one body that may exceed the site's request limit. */
    public static final String UPLOAD_PATH = "/admin/content/upload";
    private static final long MAX_UPLOAD = 4L * 1024 * 1024 * 1024;

    private final Content content;
    private final Events events;
    private final Web web;
    private final Optional<java.nio.file.Path> contentDirectory;

    public AdminResource(Content content, Events events, Web web, Optional<java.nio.file.Path> contentDirectory) {
        this.content = content;
        this.events = events;
        this.web = web;
        this.contentDirectory = contentDirectory;
    }

    @GET
    @Timed
    public Response dashboard(@Context HttpServletRequest request, @Context HttpServletResponse response) {
        Operator.require(web, request);
        return page(request, response, new AdminViews.Dashboard(web.layout(), content.inventory(),
                contentDirectory.map(Object::toString).orElse(null), content.uncaptionedLessons()));
    }

    @POST
    @Path("content/{kind}/{slug}/{action}")
    @Timed
    public Response publish(@PathParam("kind") String kind, @PathParam("slug") String slug,
            @PathParam("action") String action, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request) {
        Operator.requireForm(web, request, csrf);
        if (!(kind.equals("course") || kind.equals("article"))
                || !(action.equals("publish") || action.equals("unpublish"))
                || !content.setPublished(kind, slug, action.equals("publish"))) {
            throw new NotFoundException();
        }
        return Response.seeOther(URI.create("/admin")).build();
    }

    @POST
    @Path("content/lesson/{course}/{lesson}/{action}")
    @Timed
    public Response publishLesson(@PathParam("course") String course, @PathParam("lesson") String lesson,
            @PathParam("action") String action, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request) {
        Operator.requireForm(web, request, csrf);
        if (!(action.equals("publish") || action.equals("unpublish"))
                || !content.setLessonPublished(course, lesson, action.equals("publish"))) {
            throw new NotFoundException();
        }
        return Response.seeOther(URI.create("/admin")).build();
    }

    @POST
    @Path("content/reimport")
    @Timed
    public Response reimport(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Operator.requireForm(web, request, csrf);
        java.nio.file.Path folder = contentDirectory.orElseThrow(NotFoundException::new);
        return imported(request, response, folder);
    }

    @POST
    @Path("content/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Timed
    public Response upload(@FormDataParam("zip") InputStream zip, @FormDataParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) throws IOException {
        Operator.requireForm(web, request, csrf);
        if (zip == null) {
            return page(request, response, new AdminViews.Imported(web.layout(), null, "Choose a zip file of a content folder."));
        }
        java.nio.file.Path temporary = Files.createTempDirectory("athanor-upload-");
        try {
            return imported(request, response, ZipFolder.extract(zip, temporary, MAX_UPLOAD));
        } catch (IOException e) {
            return page(request, response, new AdminViews.Imported(web.layout(), null, "The upload was refused: " + e.getMessage()));
        } finally {
            try (var paths = Files.walk(temporary)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @GET
    @Path("activity")
    @Timed
    public Response activity(@Context HttpServletRequest request, @Context HttpServletResponse response) {
        Operator.require(web, request);
        var lessons = events.topLessons(30, 20);
        var names = content.lessonNames(lessons.stream().map(Events.LessonCount::lessonId).toList());
        return page(request, response, new AdminViews.Activity(web.layout(), events.daily(30), lessons.stream()
                .map(lesson -> new AdminViews.Activity.Row(names.getOrDefault(lesson.lessonId(), "?"),
                        lesson.starts(), lesson.completions())).toList()));
    }

    private Response imported(HttpServletRequest request, HttpServletResponse response, java.nio.file.Path folder) {
        try {
            ImportReport report = content.importFolder(folder, false);
            return page(request, response, new AdminViews.Imported(web.layout(), report, null));
        } catch (ContentImportException e) {
            return page(request, response, new AdminViews.Imported(web.layout(), null, e.getMessage() + " Nothing was imported."));
        }
    }

    private Response page(HttpServletRequest request, HttpServletResponse response,
            dev.athanor.platform.web.PageView view) {
        return web.render(request, response, view, 200);
    }
}
