package dev.athanor.platform.web;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * The site's request log without the page views answered from memory: page-cache hits, and the signed-in pages
 * {@link LearnerPages} answers. Those are counted (page views, cache hits) and logged by nginx in front, and writing a
 * JSON line for each would cost about as much as answering them. Everything else (forms, the API, errors, pages
 * Jersey answers) is logged.
 */
final class QuietCacheHitsRequestLog implements RequestLog {

    static final String CACHE_HIT = "dev.athanor.page-cache-hit";

    private final RequestLog delegate;

    QuietCacheHitsRequestLog(RequestLog delegate) {
        this.delegate = delegate;
    }

    @Override
    public void log(Request request, Response response) {
        if (request.getAttribute(CACHE_HIT) == null) {
            delegate.log(request, response);
        }
    }
}
