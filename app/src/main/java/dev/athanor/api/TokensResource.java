package dev.athanor.api;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.Csrf;
import dev.athanor.platform.web.Layout;
import dev.athanor.platform.web.PageView;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * The account page's API tokens: make one (named, shown once), see when each was last used, revoke it; and the
 * private feed's secret address, made (or replaced) the same way.
 */
@Path("/account/tokens")
@Produces(Web.HTML)
public final class TokensResource {

    private final ApiTokens tokens;
    private final Web web;

    TokensResource(ApiTokens tokens, Web web) {
        this.tokens = tokens;
        this.web = web;
    }

    /** The page's view; {@code created} is the new token (or feed address) in the one answer that shows it. */
    public static final class TokensPage extends PageView {
        public final List<ApiTokens.Listed> tokens;
        public final String created;
        public final String createdFeed;
        public final String problem;
        public final String baseUrl;

        TokensPage(Layout layout, List<ApiTokens.Listed> tokens, String created, String createdFeed,
                String problem) {
            super("tokens.mustache", layout, "API tokens");
            this.tokens = tokens;
            this.created = created;
            this.createdFeed = createdFeed;
            this.problem = problem;
            this.baseUrl = layout.site().baseUrl().toString();
        }
    }

    @GET
    @Timed
    public Response page(@Context HttpServletRequest request, @Context HttpServletResponse response) {
        Viewer viewer = web.signedIn(request, "/account/tokens");
        return page(request, response, viewer, null, null, null, 200);
    }

    @POST
    @Timed
    public Response create(@FormParam("name") @DefaultValue("") String name, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request, "/account/tokens");
        return tokens.create(viewer.learnerId().orElseThrow(), ApiTokens.Kind.API, name)
                .map(made -> page(request, response, viewer, made.token(), null, null, 201))
                .orElseGet(() -> page(request, response, viewer, null, null, "You have "
                        + ApiTokens.MAX_PER_LEARNER + " tokens already; revoke one first.", 422));
    }

    @POST
    @Path("feed")
    @Timed
    public Response createFeed(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request, "/account/tokens");
        long learner = viewer.learnerId().orElseThrow();
        tokens.list(learner).stream().filter(token -> token.kind().equals("feed"))
                .forEach(old -> tokens.revoke(learner, old.id()));
        return tokens.create(learner, ApiTokens.Kind.FEED, "private feed")
                .map(made -> page(request, response, viewer, null, web.site().baseUrl() + "/feeds/" + made.token()
                        + "/lessons.rss", null, 201))
                .orElseThrow(IllegalStateException::new);
    }

    @POST
    @Path("{id}/revoke")
    @Timed
    public Response revoke(@PathParam("id") String id, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request, "/account/tokens");
        if (!id.matches("\\d{1,18}") || !tokens.revoke(viewer.learnerId().orElseThrow(), Long.parseLong(id))) {
            throw new NotFoundException();
        }
        return Response.seeOther(URI.create("/account/tokens")).build();
    }

    private Response page(HttpServletRequest request, HttpServletResponse response, Viewer viewer, String created,
            String createdFeed, String problem, int status) {
        return web.render(request, response, new TokensPage(web.layout(), tokens.list(viewer.learnerId()
                .orElseThrow()), created, createdFeed, problem), status);
    }
}
