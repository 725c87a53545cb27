package dev.athanor.platform.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Adds {@link SecurityHeaders} to every response of the site: pages, errors, static files, health. */
final class SecurityHeadersFilter implements Filter {

    private final SecurityHeaders headers;

    SecurityHeadersFilter(SecurityHeaders headers) {
        this.headers = headers;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        headers.apply(request.isSecure(), ((HttpServletResponse) response)::setHeader);
        chain.doFilter(request, response);
    }
}
