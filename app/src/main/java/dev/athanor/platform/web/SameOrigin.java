package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;

/**
 * Refuses state-changing requests that a browser sent from another site: when the browser says where the request
 * came from ({@code Origin}, or {@code Sec-Fetch-Site}), it must be this site. Requests without either header do not
 * come from a browser's cross-site form or script. (Forms also carry a CSRF token once accounts exist.)
 */
public final class SameOrigin {

    private SameOrigin() {
    }

    public static boolean allows(HttpServletRequest request, Site site) {
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals("null")) {
            return origin.equals(origin(site.baseUrl())) || origin.equals(ownOrigin(request));
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        return fetchSite == null || fetchSite.equals("same-origin") || fetchSite.equals("none");
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    private static String ownOrigin(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(request.getScheme()) && port == 80)
                || ("https".equals(request.getScheme()) && port == 443);
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
