package dev.athanor.ops.nginx;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.deploy.DeployFactory;
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
 * {@code host:port}: this node's live release first, then the other nodes' ({@code nginx.peers}).
 */
final class UpstreamInclude {

    private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server\\s+([^\\s;]+)");
    private static final Pattern ADDRESS = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([1-9]\\d{0,4})");

    /** How long nginx leaves another node alone after a failed connection to it. */
    static final int PEER_PAUSE_SECONDS = 5;

    private UpstreamInclude() {
    }

    /**
     * The servers for this node's live instance at {@code local} and {@code peers} as configured: a peer's bare host
     * stands for each of {@code slotPorts} (the one not live is refused, and skipped as below).
     */
    static List<String> servers(String local, AthanorConfiguration configuration) {
        DeployFactory deploy = configuration.getDeploy();
        return servers(local, configuration.getNginx().getPeers(), List.of(deploy.slot("a").getPort(),
                deploy.slot("b").getPort()));
    }

    static List<String> servers(String local, List<String> peers, List<Integer> slotPorts) {
        List<String> servers = new ArrayList<>(List.of(local));
        for (String peer : peers) {
            if (ADDRESS.matcher(peer).matches()) {
                servers.add(peer);
            } else {
                slotPorts.forEach(port -> servers.add(peer + ":" + port));
            }
        }
        return List.copyOf(servers);
    }

    /**
     * The include's text for {@code servers}, refused with a message naming the bad one when one is no address. The
     * first (this node's) is never marked down, so nginx always has a server to try; the others (other nodes') are
     * skipped for a while after a failed connection, so a node that is gone costs one retry, not one per request.
     */
    static String render(List<String> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("the upstream needs at least one server (host:port)");
        }
        StringBuilder text = new StringBuilder("""
                # The site's instances, as nginx proxies to them: written by ops (ops nginx config, ops deploy,
                # ops rollback), replaced whole at each switch, then tested and reloaded. Edits here do not last.
                upstream %s {
                """.formatted(NginxIncludes.UPSTREAM_NAME));
        for (int i = 0; i < servers.size(); i++) {
            String server = servers.get(i);
            Matcher address = ADDRESS.matcher(server == null ? "" : server);
            if (!address.matches() || Integer.parseInt(address.group(3)) > 65535) {
                throw new IllegalArgumentException("not an upstream server (host:port): " + server);
            }
            text.append("    server ").append(server).append(i == 0 ? " max_fails=0;\n"
                    : " max_fails=1 fail_timeout=" + PEER_PAUSE_SECONDS + "s;\n");
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
