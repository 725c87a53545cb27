package dev.athanor.platform.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/** Builds Jersey responses from {@link ErrorPages}, choosing JSON or HTML for the request. */
final class ErrorResponses {

    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("utf-8");

    private final ErrorPages pages;

    ErrorResponses(ErrorPages pages) {
        this.pages = pages;
    }

    /**
     * 503 with {@code Retry-After} ({@link DatabaseOutage#RETRY_AFTER_SECONDS}) for a request that needs the database
     * while it cannot be reached.
     */
    Response.ResponseBuilder unavailable(String path, String accept) {
        return build(503, Optional.empty(), path, accept).header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS);
    }

    Response.ResponseBuilder build(int status, Optional<String> reference, String path, String accept) {
        Response.ResponseBuilder builder = Response.status(status).header("Cache-Control", "no-store");
        if (ErrorPages.wantsJson(path, accept)) {
            return builder.type(MediaType.APPLICATION_JSON_TYPE).entity(pages.json(status, reference));
        }
        return builder.type(HTML).entity(pages.html(status, reference));
    }
}
