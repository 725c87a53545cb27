package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServletRequest;
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
 * pass through untouched. A 5xx is logged with its stack trace under a reference, except 503 (busy, or a part not set
 * up), which is expected and gets one line; either is logged once a minute when it repeats ({@link RepeatedErrors}).
 */
final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Logger LOGGER = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);

    private final ErrorResponses responses;
    private final RepeatedErrors repeated;

    @Context
    private UriInfo uriInfo;

    @Context
    private HttpHeaders headers;

    @Context
    private HttpServletRequest request;

    WebApplicationExceptionMapper(ErrorResponses responses, RepeatedErrors repeated) {
        this.responses = responses;
        this.repeated = repeated;
    }

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        int status = original.getStatus();
        if (status < 400 || original.hasEntity()) {
            return original;
        }
        UnreadBodies.drain(request);
        Optional<String> reference = Optional.empty();
        if (status == 503) {
            // busy or not set up: expected, and said by whoever threw it; no stack trace
            if (repeated.first(exception, "503 to " + uriInfo.getPath())) {
                LOGGER.warn("Answering 503 to {}: {}", uriInfo.getPath(), exception.getMessage());
            }
        } else if (status >= 500) {
            reference = Optional.of(ErrorPages.newReference());
            if (repeated.first(exception, reference.get())) {
                LOGGER.error("Error {} answering {} {}", reference.get(), status, uriInfo.getPath(), exception);
            }
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
