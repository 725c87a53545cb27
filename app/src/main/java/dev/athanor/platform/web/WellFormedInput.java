package dev.athanor.platform.web;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Refuses (400) a request whose address, headers or form fields carry a NUL byte, a malformed percent-escape or bytes
 * that are not UTF-8, before any resource sees them: such text cannot be stored (PostgreSQL refuses NUL in text),
 * matched or shown, and would otherwise fail deep in a query as a 500. Form bodies are read here and handed on
 * unchanged; {@link BodyLimitHandler} has bounded them already, and {@link #MAX_FORM_BYTES} (413 beyond) is a second
 * guard should {@code site.requestBodyLimit} be set higher.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
final class WellFormedInput implements ContainerRequestFilter {

    static final int MAX_FORM_BYTES = 256 * 1024;

    /** The request as the server received it (Jersey's request URI has stray {@code %} signs escaped already). */
    @Context
    private HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        check(servletRequest.getRequestURI(), false, "address");
        check(servletRequest.getQueryString(), true, "query");
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            for (String value : header.getValue()) {
                if (value != null && value.indexOf('\0') >= 0) {
                    throw refused("header " + header.getKey());
                }
            }
        }
        if (MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())
                && request.hasEntity()) {
            byte[] form = readForm(request.getEntityStream());
            if (!PercentEncoded.isWellFormed(form, true)) {
                throw refused("form");
            }
            request.setEntityStream(new ByteArrayInputStream(form));
        }
    }

    private static byte[] readForm(InputStream in) throws IOException {
        byte[] form = in.readNBytes(MAX_FORM_BYTES + 1);
        if (form.length > MAX_FORM_BYTES) {
            throw new WebApplicationException("form larger than " + MAX_FORM_BYTES + " bytes", 413);
        }
        return form;
    }

    private static void check(String encoded, boolean plusIsSpace, String where) {
        if (encoded != null && !PercentEncoded.isWellFormed(encoded, plusIsSpace)) {
            throw refused(where);
        }
    }

    private static BadRequestException refused(String where) {
        return new BadRequestException("NUL, malformed escape or invalid UTF-8 in the " + where);
    }
}
