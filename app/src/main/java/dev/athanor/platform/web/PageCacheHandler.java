package dev.athanor.platform.web;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers page-cache hits before any of the framework runs: in front of Dropwizard's gzip, request log, metrics and
 * servlet handlers, an anonymous GET or HEAD on the site's port whose page is cached gets the stored bytes (Brotli or
 * gzipped when accepted), the precomputed headers and the security headers, or a 304; a page past its lifetime is answered
 * here only while a {@link DatabaseOutage} is on (stale-if-error), and otherwise passes on to be rendered again.
 * Everything else passes through untouched. nginx's access log records these requests; the site counts them as page views and cache hits.
 */
final class PageCacheHandler extends Handler.Wrapper {

    private final PageCache cache;
    private final HttpField[] securityHeaders;
    private final HttpField[] secureOnlyHeaders;

    PageCacheHandler(PageCache cache, SecurityHeaders headers) {
        this.cache = cache;
        this.securityHeaders = SecurityHeadersFilter.encoded(headers, false);
        this.secureOnlyHeaders = SecurityHeadersFilter.encoded(headers, true);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method) || !onSitePort(request)) {
            return super.handle(request, response, callback);
        }
        HttpFields fields = request.getHeaders();
        if (cache.viewers().maySignIn(fields::get)) {
            return super.handle(request, response, callback);
        }
        CachedPage page = cache.hit(request.getHttpURI().getPath(), request.getHttpURI().getQuery());
        if (page == null) {
            return super.handle(request, response, callback);
        }
        request.setAttribute(QuietCacheHitsRequestLog.CACHE_HIT, Boolean.TRUE);
        CachedPage.Coding coding = cache.coding(PageCache.key(request.getHttpURI().getPath(),
                request.getHttpURI().getQuery()), page, fields.get(HttpHeader.ACCEPT_ENCODING));
        HttpFields.Mutable out = response.getHeaders();
        for (HttpField field : request.isSecure() ? secureOnlyHeaders : securityHeaders) {
            out.add(field);
        }
        if (page.notModified(fields.get(HttpHeader.IF_NONE_MATCH), fields.getDateField("If-Modified-Since"))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            out.add(PageCache.CACHE_CONTROL);
            out.add(PageCache.VARY);
            out.add(HttpHeader.ETAG, page.etag(coding));
            callback.succeeded();
            return true;
        }
        for (HttpField field : page.headers(coding)) {
            out.add(field);
        }
        if (head) {
            callback.succeeded();
        } else {
            response.write(true, page.body(coding), callback);
        }
        return true;
    }

    private static boolean onSitePort(Request request) {
        String name = request.getConnectionMetaData().getConnector().getName();
        return name == null || name.startsWith("application");
    }
}
