package dev.athanor.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API error: an HTTP status, a stable code scripts can test, and a message people can read, always as JSON
 * ({@code {"error": {"code": ..., "message": ...}}}).
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Duration retryAfter;

    private ApiError(int status, String code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message, null);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, null);
    }

    static ApiError lapsed() {
        return new ApiError(403, "subscription_inactive", "This token's owner has no active subscription.", null);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null);
    }

    static ApiError rateLimited(Duration wait) {
        return new ApiError(429, "rate_limited", "Too many requests for this token; try again in "
                + Math.max(1, wait.toSeconds()) + " s.", wait);
    }

    /** The stable code scripts test, such as {@code rate_limited}. */
    String code() {
        return code;
    }

    Response response() {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error)).header("Cache-Control", "no-store");
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"athanor\"");
        }
        if (retryAfter != null) {
            response.header("Retry-After", Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }
        return response.build();
    }

    /** Answers every {@link ApiError} with its JSON (and not with the site's HTML error pages). */
    static final class Mapper implements ExceptionMapper<ApiError> {
        @Override
        public Response toResponse(ApiError error) {
            return error.response();
        }
    }
}
