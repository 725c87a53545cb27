package dev.athanor.monitoring.nginx;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The files the site's nginx configuration includes and ops rewrites while nginx runs, all in one directory
 * ({@code nginx.includeDirectory}): the upstream ({@code ops deploy} switches it), the maintenance switch (a
 * {@code geo} that is empty for everyone when off) and the maintenance page. The site's configuration itself is
 * rendered once and changes only with config.yml.
 */
public record NginxIncludes(Path directory) {

    /** The variable the maintenance include sets: empty when off, {@code on} or {@code operator} when on. */
    public static final String MAINTENANCE_VARIABLE = "$athanor_maintenance";
    /** The upstream the site's locations proxy to. */
    public static final String UPSTREAM_NAME = "athanor_site";

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(/(3[0-2]|[12]?\\d))?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(/(12[0-8]|1[01]\\d|[1-9]?\\d))?");

    /** {@code athanor-upstream.conf}: the {@code upstream athanor_site} block (http context). */
    public Path upstream() {
        return directory.resolve("athanor-upstream.conf").toAbsolutePath();
    }

    /** {@code athanor-maintenance.conf}: the {@code geo $athanor_maintenance} block (http context). */
    public Path maintenance() {
        return directory.resolve("athanor-maintenance.conf").toAbsolutePath();
    }

    /** {@code maintenance.html}: what nginx answers with its own 503s. */
    public Path page() {
        return directory.resolve("maintenance.html").toAbsolutePath();
    }

    /** Whether {@code text} is an IP address or CIDR range as nginx's {@code geo} takes it. */
    public static boolean isAddress(String text) {
        return text != null && (IPV4.matcher(text).matches() || IPV6.matcher(text).matches()
                && text.chars().filter(c -> c == ':').count() <= 7);
    }
}
