package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Function;

/**
 * Tells who makes a request. Until accounts exist everyone is anonymous; the accounts context replaces this with
 * its session lookup. {@link #maySignIn} is the cheap test the page cache runs on every request: when it is false
 * the request is certainly anonymous and may be answered from the shared cache.
 */
public interface Viewers {

    /** The cookie names a signed-in browser sends; their presence keeps a request out of the shared cache. */
    String SESSION_COOKIE = "__Host-session";
    String SESSION_COOKIE_INSECURE = "session";

    /** Everyone is anonymous. */
    Viewers ANONYMOUS = new Viewers() {
        @Override
        public Viewer resolve(HttpServletRequest request) {
            return Viewer.ANONYMOUS;
        }
    };

    Viewer resolve(HttpServletRequest request);

    /**
     * Whether the request, seen before the servlets run, comes from a signed-in operator: for the few limits that
     * only operators may pass (the size of a content upload). Nobody is, unless accounts say so.
     */
    default boolean isOperator(org.eclipse.jetty.server.Request request) {
        return false;
    }

    /** Whether a request with these headers might belong to a signed-in viewer (a session cookie is present). */
    default boolean maySignIn(Function<String, String> header) {
        String cookies = header.apply("Cookie");
        return cookies != null && (cookies.contains(SESSION_COOKIE + "=") || cookies.contains(SESSION_COOKIE_INSECURE
                + "="));
    }
}
