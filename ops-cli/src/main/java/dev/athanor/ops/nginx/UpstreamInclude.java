package dev.athanor.ops.nginx;

import dev.athanor.monitoring.nginx.NginxIncludes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code athanor-upstream.conf}: the {@code upstream athanor_site} block naming the site's instances as
 * {@code host:port}. One today (the live slot); the scale-out work lists several nodes here.
 */
final class UpstreamInclude {

    private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server\\s+([^\\s;]+)");
    private static final Pattern ADDRESS = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([1-9]\\d{0,4})");

    private UpstreamInclude() {
    }

    /** The include's text for {@code servers}, refused with a message naming the bad one when one is no address. */
    static String render(List<String> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("the upstream needs at least one server (host:port)");
        }
        StringBuilder text = new StringBuilder("""
                # The site's instances, as nginx proxies to them: written by ops (ops nginx config, ops deploy,
                # ops rollback), replaced whole at each switch, then tested and reloaded. Edits here do not last.
                upstream %s {
                """.formatted(NginxIncludes.UPSTREAM_NAME));
        for (String server : servers) {
            Matcher address = ADDRESS.matcher(server == null ? "" : server);
            if (!address.matches() || Integer.parseInt(address.group(3)) > 65535) {
                throw new IllegalArgumentException("not an upstream server (host:port): " + server);
            }
            // max_fails=0: never marked down, so a failed request never leaves nginx with no server to try.
            text.append("    server ").append(server).append(" max_fails=0;\n");
        }
        return text.append("    keepalive 16;\n}\n").toString();
    }

    /** The servers {@code file} names, in order; none when there is no file. */
    static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> servers = new ArrayList<>();
        Matcher server = SERVER.matcher(Files.readString(file));
        while (server.find()) {
            servers.add(server.group(1));
        }
        return List.copyOf(servers);
    }
}
