package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads to its end any request body that nothing read before the answer (a refusal before the form is parsed, a
 * webhook refused before its body is read), so the connection can carry the client's next request: left unread,
 * Jetty closes the connection after the answer without saying so in it, and a client that had already sent its next
 * request on that connection gets no answer at all. The body is bounded first by {@link BodyLimitHandler}, so this
 * reads at most the site's body limit. Runs on every answer Jersey gives; {@link WebApplicationExceptionMapper} calls
 * {@link #drain} for refusals raised before Jersey matched a resource, which skip response filters.
 */
final class UnreadBodies implements ContainerResponseFilter {

    @Context
    private HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext requestContext, ContainerResponseContext response) {
        drain(request);
    }

    /** Reads what is left of {@code request}'s body, if it has one. */
    static void drain(HttpServletRequest request) {
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return;
        }
        try {
            request.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            // Read already, or over the limit: the connection closes after the answer anyway.
        }
    }
}
