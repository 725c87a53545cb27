package dev.athanor.content;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/** The front page: the courses and the latest articles. */
@Path("/")
@Produces(Web.HTML)
public final class HomeResource {

    private final Content content;
    private final Web web;

    public HomeResource(Content content, Web web) {
        this.content = content;
        this.web = web;
    }

    @GET
    @Timed
    public Response home(@Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        return web.page(request, response, Set.of("courses", "articles"), () -> new ContentViews.Home(web.layout(),
                content.courses(), content.articles(1).articles().stream().limit(5).toList()));
    }
}
