package dev.athanor.platform.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer for errors inside the site's servlet context that Jersey did not handle (an unknown asset, a servlet
 * that failed): the same pages as {@link ErrorPages}, in UTF-8, without Jetty's stack traces, causes or servlet names.
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
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
            String contentType, List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
        return super.generateAcceptableResponse(request, response, callback, contentType,
                List.of(StandardCharsets.UTF_8), code, message, cause);
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
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                String contentType, List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            headers.apply(request.isSecure(), response.getHeaders()::put);
            return super.generateAcceptableResponse(request, response, callback, contentType,
                    List.of(StandardCharsets.UTF_8), code, message, cause);
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
