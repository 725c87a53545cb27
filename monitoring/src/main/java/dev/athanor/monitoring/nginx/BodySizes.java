package dev.athanor.monitoring.nginx;

import java.util.List;

/**
 * The request bodies nginx lets through to the site: the site's own limits, so that nginx refuses at its door what the
 * site would refuse anyway (and nothing is spooled to disk for it) and never refuses what the site takes. One size for
 * every path, larger ones only for the exact paths that take more.
 *
 * @param everywhere the largest body on any path, in bytes ({@code site.requestBodyLimit})
 * @param larger the exact paths that take more
 */
public record BodySizes(long everywhere, List<Larger> larger) {

    public BodySizes {
        if (everywhere < 1) {
            throw new IllegalArgumentException("a body size must be at least one byte: " + everywhere);
        }
        larger = List.copyOf(larger);
    }

    /**
     * An exact path that takes bodies of up to {@code bytes}. {@code streamed} when the site lets only some requests
     * send that much (the operator's upload): nginx cannot tell which, so it passes the body on as it arrives and the
     * site refuses the others at once, rather than nginx taking the whole body onto its disk first.
     */
    public record Larger(String path, long bytes, boolean streamed) {

        public Larger {
            if (!path.matches("/[A-Za-z0-9/_.-]*")) {
                throw new IllegalArgumentException("not a plain path for an nginx location: " + path);
            }
            if (bytes < 1) {
                throw new IllegalArgumentException("a body size must be at least one byte: " + bytes);
            }
        }
    }

    /** {@code bytes} in nginx's size syntax: in the largest of g, m, k that divides it exactly, else in bytes. */
    static String nginxSize(long bytes) {
        String[] units = {"g", "m", "k"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes % sizes[i] == 0) {
                return bytes / sizes[i] + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
