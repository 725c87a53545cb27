package dev.athanor.platform.web;

import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the HTTP errors that resources and Jersey raise (404, 405, 400, ...) into the site's error page or JSON,
 * keeping the headers they carry ({@code Allow}, {@code Retry-After}). Redirects and responses that already have a body
 * pass through untouched.
 */
final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Logger LOGGER = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);

    private final ErrorResponses responses;

    @Context
    private UriInfo uriInfo;

    @Context
    private HttpHeaders headers;

    WebApplicationExceptionMapper(ErrorResponses responses) {
        this.responses = responses;
    }

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        int status = original.getStatus();
        if (status < 400 || original.hasEntity()) {
            return original;
        }
        Optional<String> reference = Optional.empty();
        // A 503 is a state the code that raised it reports (a full hashing pool, a missing setting): no trace each.
        if (status >= 500 && !(exception instanceof ServiceUnavailableException)) {
            reference = Optional.of(ErrorPages.newReference());
            LOGGER.error("Error {} answering {} {}", reference.get(), status, uriInfo.getPath(), exception);
        }
        Response.ResponseBuilder builder = responses.build(status, reference, "/" + uriInfo.getPath(),
                headers.getHeaderString(HttpHeaders.ACCEPT));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }
}
