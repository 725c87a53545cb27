package dev.athanor.content;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.Layout;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** The front page. */
@Path("/")
@Produces("text/html; charset=utf-8")
public final class HomeResource {

    private final Layout layout;

    public HomeResource(Layout layout) {
        this.layout = layout;
    }

    @GET
    @Timed
    public HomeView home() {
        return new HomeView(layout);
    }
}
