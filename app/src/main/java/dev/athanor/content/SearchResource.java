package dev.athanor.content;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.PageRenderer;
import dev.athanor.platform.web.Web;
import dev.athanor.platform.web.Viewers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** Full-text search over lessons and articles; never cached (every query differs). */
@Path("/search")
@Produces(Web.HTML)
public final class SearchResource {

    private static final int MAX_QUERY = 200;
    private static final int RETRY_AFTER_SECONDS = 10;

    private final Content content;
    private final Web web;
    private final PageRenderer renderer;
    private final Viewers viewers;

    public SearchResource(Content content, Web web, Viewers viewers) {
        this.content = content;
        this.viewers = viewers;
        this.web = web;
        this.renderer = web.renderer();
    }

    @GET
    @Timed
    public Response search(@QueryParam("q") @DefaultValue("") String query,
            @Context HttpServletRequest request) {
        String trimmed = query.strip();
        if (trimmed.length() > MAX_QUERY) {
            trimmed = trimmed.substring(0, MAX_QUERY);
        }
        try {
            byte[] page = renderer.render(new ContentViews.Search(web.layout(), trimmed, content.search(trimmed,
                    viewers.resolve(request))));
            return Response.ok(page, Web.HTML).header("Cache-Control", "no-cache").build();
        } catch (SearchTimeoutException e) {
            // the site is fine; this query is too costly for the moment: 503, and a page that says what to do
            byte[] page = renderer.render(ContentViews.Search.tooSlow(web.layout(), trimmed));
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(Web.HTML).entity(page)
                    .header("Cache-Control", "no-store").header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
    }
}
