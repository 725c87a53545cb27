package dev.athanor.platform.web;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort for anything a resource did not expect: the full error goes to the log under a short reference, and
 * the visitor gets the 500 page with that reference and nothing else.
 */
final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOGGER = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    private final ErrorResponses responses;

    @Context
    private UriInfo uriInfo;

    @Context
    private HttpHeaders headers;

    @Context
    private Request request;

    UnexpectedExceptionMapper(ErrorResponses responses) {
        this.responses = responses;
    }

    @Override
    public Response toResponse(Throwable exception) {
        Optional<Integer> refused = clientError(exception);
        if (refused.isPresent()) {
            return responses.build(refused.get(), Optional.empty(), "/" + uriInfo.getPath(),
                    headers.getHeaderString(HttpHeaders.ACCEPT)).build();
        }
        String reference = ErrorPages.newReference();
        LOGGER.error("Error {} answering {} /{}", reference, request.getMethod(), uriInfo.getPath(), exception);
        return responses.build(500, Optional.of(reference), "/" + uriInfo.getPath(),
                headers.getHeaderString(HttpHeaders.ACCEPT)).build();
    }

    /**
     * The 4xx that the server raised while the request was read (a body over its limit, cut off by
     * {@link BodyLimitHandler}), wherever Jersey wrapped it: the client's mistake, not a bug to log.
     */
    private static Optional<Integer> clientError(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.eclipse.jetty.http.HttpException http && http.getCode() >= 400
                    && http.getCode() < 500) {
                return Optional.of(http.getCode());
            }
        }
        return Optional.empty();
    }
}
