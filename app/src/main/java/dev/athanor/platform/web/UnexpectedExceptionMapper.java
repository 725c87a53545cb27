package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServletRequest;
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
 * The last resort for anything a resource did not expect. When the cause is a database that cannot be reached (see
 * {@link DatabaseOutage#unreachable}), an anonymous page the cache still holds is served as it is, and anything else
 * answers 503 with {@code Retry-After}; the outage, not each request, is logged. Otherwise the full error goes to the
 * log under a short reference (once a minute for errors that repeat: {@link RepeatedErrors}), and the visitor gets
 * the 500 page with that reference and nothing else.
 */
final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOGGER = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    private final ErrorResponses responses;
    private final DatabaseOutage outage;
    private final PageCache pages;
    private final RepeatedErrors repeated;

    @Context
    private UriInfo uriInfo;

    @Context
    private HttpServletRequest servletRequest;

    @Context
    private HttpHeaders headers;

    @Context
    private Request request;

    UnexpectedExceptionMapper(ErrorResponses responses, DatabaseOutage outage, PageCache pages,
            RepeatedErrors repeated) {
        this.responses = responses;
        this.outage = outage;
        this.pages = pages;
        this.repeated = repeated;
    }

    @Override
    public Response toResponse(Throwable exception) {
        Optional<Integer> refused = clientError(exception);
        if (refused.isPresent()) {
            return responses.build(refused.get(), Optional.empty(), "/" + uriInfo.getPath(),
                    headers.getHeaderString(HttpHeaders.ACCEPT)).build();
        }
        Optional<String> unreachable = DatabaseOutage.unreachable(exception);
        if (unreachable.isPresent()) {
            Optional<Response> stale = pages.stale(servletRequest, unreachable.get());
            if (stale.isPresent()) {
                return stale.get();
            }
            outage.failedRequest(unreachable.get());
            return responses.unavailable("/" + uriInfo.getPath(), headers.getHeaderString(HttpHeaders.ACCEPT))
                    .build();
        }
        String reference = ErrorPages.newReference();
        if (repeated.first(exception, reference)) {
            LOGGER.error("Error {} answering {} /{}", reference, request.getMethod(), uriInfo.getPath(), exception);
        }
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
