package dev.athanor.platform.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Adds {@link SecurityHeaders} to every response of the site: pages, errors, static files, health. They are encoded
 * once, at start, and added to Jetty's own header list, as the page cache's answers are (a header set through the
 * servlet API is encoded again on every response).
 */
final class SecurityHeadersFilter implements Filter {

    private final HttpField[] plain;
    private final HttpField[] secure;

    SecurityHeadersFilter(SecurityHeaders headers) {
        this.plain = encoded(headers, false);
        this.secure = encoded(headers, true);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ServletContextResponse jetty = ServletContextResponse.getServletContextResponse(response);
        for (HttpField field : request.isSecure() ? secure : plain) {
            if (jetty != null) {
                jetty.getHeaders().put(field);
            } else {
                ((HttpServletResponse) response).setHeader(field.getName(), field.getValue());
            }
        }
        chain.doFilter(request, response);
    }

    static HttpField[] encoded(SecurityHeaders headers, boolean secure) {
        List<HttpField> fields = new ArrayList<>();
        headers.apply(secure, (name, value) -> fields.add(new PreEncodedHttpField(name, value)));
        return fields.toArray(new HttpField[0]);
    }
}
