package dev.athanor.platform.web;

import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer for errors inside the site's servlet context that Jersey did not handle (an unknown asset, a servlet
 * or filter that answered {@code sendError(413)} or {@code sendError(503)}, one that failed): the same pages as
 * {@link ErrorPages}, in UTF-8, without Jetty's stack traces, causes or servlet names. Requests under {@code /api/}
 * get the JSON error whatever their {@code Accept} header says, other requests the HTML page unless they ask for JSON;
 * every method gets a body (Jetty's default gives one only to GET, POST and HEAD).
 */
final class SiteErrorHandler extends ErrorHandler {

    private final ErrorPages pages;

    SiteErrorHandler(ErrorPages pages) {
        this.pages = pages;
        quiet(this);
    }

    /** No stacks, causes or origins; room for a whole page. */
    private static void quiet(org.eclipse.jetty.server.handler.ErrorHandler handler) {
        handler.setShowStacks(false);
        handler.setShowCauses(false);
        handler.setShowOrigin(false);
        handler.setShowMessageInTitle(false);
        handler.setBufferSize(64 * 1024);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        int status = statusOf(response, code, cause);
        generateAcceptableResponse(request, response, callback, contentType(request), List.of(StandardCharsets.UTF_8),
                status, message, cause);
    }

    @Override
    protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
            Throwable cause) throws IOException {
        writer.write(pages.html(code, Optional.empty()));
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(pages.json(code, Optional.empty()));
    }

    @Override
    protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(code + " " + HttpStatus.getMessage(code) + "\n");
    }

    /**
     * The status to answer: a JAX-RS exception thrown outside Jersey (by a servlet filter) keeps its own status and
     * headers ({@code Retry-After}, {@code Allow}) instead of becoming a 500, a database that cannot be reached
     * is a 503 with {@code Retry-After}, and a request line naming an HTTP version the server does not speak (Jetty's
     * 505) is the client's mistake, a 400, not a failure of the site.
     */
    private static int statusOf(Response response, int code, Throwable cause) {
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            response.setStatus(HttpStatus.BAD_REQUEST_400);
            return HttpStatus.BAD_REQUEST_400;
        }
        if (cause != null && DatabaseOutage.unreachable(cause).isPresent()) {
            response.setStatus(503);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
            return 503;
        }
        for (Throwable failure = cause; failure != null; failure = failure.getCause()) {
            if (failure instanceof WebApplicationException exception && exception.getResponse().getStatus() >= 400) {
                jakarta.ws.rs.core.Response answer = exception.getResponse();
                response.setStatus(answer.getStatus());
                answer.getStringHeaders().forEach((name, values) -> {
                    if (!HttpHeader.CONTENT_TYPE.is(name) && !HttpHeader.CONTENT_LENGTH.is(name)) {
                        values.forEach(value -> response.getHeaders().add(name, value));
                    }
                });
                return answer.getStatus();
            }
        }
        return code;
    }

    /** JSON for the API and for clients that ask for it first; the site's page for everyone else. */
    static String contentType(Request request) {
        String path = request.getHttpURI().getPath();
        return ErrorPages.wantsJson(path == null ? "" : path, request.getHeaders().get(HttpHeader.ACCEPT))
                || ApiRequestLines.addressedToApi(request) ? "application/json" : "text/html";
    }

    /**
     * The server-wide handler for requests that never reached a context (a malformed URI, an oversized header): the
     * same pages, plus the security headers that the servlet filter had no chance to add.
     */
    static final class ServerWide extends org.eclipse.jetty.server.handler.ErrorHandler {

        private final ErrorPages pages;
        private final SecurityHeaders headers;

        ServerWide(ErrorPages pages, SecurityHeaders headers) {
            this.pages = pages;
            this.headers = headers;
            quiet(this);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                Throwable cause, Callback callback) throws IOException {
            headers.apply(request.isSecure(), response.getHeaders()::put);
            int status = statusOf(response, code, cause);
            generateAcceptableResponse(request, response, callback, contentType(request),
                    List.of(StandardCharsets.UTF_8), status, message, cause);
        }

        @Override
        protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
                Throwable cause) throws IOException {
            writer.write(pages.html(code, Optional.empty()));
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
                Throwable cause) {
            writer.write(pages.json(code, Optional.empty()));
        }

        @Override
        protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message,
                Throwable cause) {
            writer.write(code + " " + HttpStatus.getMessage(code) + "\n");
        }
    }
}
