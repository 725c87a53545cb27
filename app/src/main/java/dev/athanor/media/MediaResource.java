package dev.athanor.media;

import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** Public images (course covers) under their content-addressed names. Videos go through their lesson's access check. */
@Path("/media/images")
public final class MediaResource {

    private final Media media;

    public MediaResource(Media media) {
        this.media = media;
    }

    @GET
    @Path("{name}")
    @Timed
    public Response image(@PathParam("name") String name) {
        if (!name.matches("[0-9a-f]{64}\\.[a-z0-9]{2,5}")) {
            throw new NotFoundException();
        }
        Response response = media.image("images/" + name);
        if (response.getStatus() == 404) {
            throw new NotFoundException();
        }
        return response;
    }
}
