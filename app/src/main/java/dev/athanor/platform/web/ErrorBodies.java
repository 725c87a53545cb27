package dev.athanor.platform.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.util.Optional;

/**
 * Gives an error response that a resource or filter built without a body ({@code Response.status(503)
 * .header("Retry-After", 30).build()}) the site's page, or the JSON error under {@code /api/}, keeping its status and
 * headers. Responses that carry a body of their own pass untouched.
 */
final class ErrorBodies implements ContainerResponseFilter {

    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("utf-8");

    private final ErrorPages pages;

    ErrorBodies(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || response.hasEntity()) {
            return;
        }
        String path = request.getUriInfo().getRequestUri().getPath();
        if (ErrorPages.wantsJson(path == null ? "" : path, request.getHeaderString(HttpHeaders.ACCEPT))) {
            response.setEntity(pages.json(status, Optional.empty()), new Annotation[0],
                    MediaType.APPLICATION_JSON_TYPE);
        } else {
            response.setEntity(pages.html(status, Optional.empty()), new Annotation[0], HTML);
        }
        if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
