package dev.athanor.content;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;

/** The articles, one by one and page by page, and the articles of a tag. */
@Path("/")
@Produces(Web.HTML)
public final class ArticleResource {

    private final Content content;
    private final Web web;

    public ArticleResource(Content content, Web web) {
        this.content = content;
        this.web = web;
    }

    @GET
    @Path("articles")
    @Timed
    public Response articles(@QueryParam("page") @DefaultValue("1") String page,
            @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        int number = page.matches("[1-9]\\d{0,4}") ? Integer.parseInt(page) : 0;
        if (number == 0) {
            throw new NotFoundException();
        }
        Pages.ArticleList list = content.articles(number);
        if (number > 1 && list.articles().isEmpty()) {
            throw new NotFoundException();
        }
        return web.page(request, response, Set.of("articles"), () -> new ContentViews.Articles(web.layout(), list));
    }

    @GET
    @Path("articles/{slug}")
    @Timed
    public Response article(@PathParam("slug") String slug, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        var article = content.article(slug);
        if (article.isEmpty()) {
            return content.redirect("article", slug)
                    .map(url -> Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create(url)).build())
                    .orElseThrow(NotFoundException::new);
        }
        return web.page(request, response, Set.of("article:" + slug), () -> new ContentViews.Article(web.layout(),
                article.get()));
    }

    @GET
    @Path("tags/{slug}")
    @Timed
    public Response tag(@PathParam("slug") String slug, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        var tag = content.tag(slug).orElseThrow(NotFoundException::new);
        return web.page(request, response, Set.of("articles"), () -> new ContentViews.Tag(web.layout(), tag));
    }
}
