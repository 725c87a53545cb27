package dev.athanor.ops.nginx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.AtomicFiles;
import dev.athanor.monitoring.nginx.NginxIncludes;
import dev.athanor.ops.monitoring.SiteAddresses;
import dev.athanor.ops.shared.ConfigFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The includes as they start out, written where they are missing (an existing one is ops's to change, never
 * overwritten here): the upstream naming the live release ({@code deploy.directory/live.json}'s slot, else the
 * server's connector), maintenance off, and the page with the default message.
 */
final class FirstIncludes {

    private FirstIncludes() {
    }

    /** Writes the missing includes and returns the files it wrote. */
    static List<Path> writeMissing(AthanorConfiguration configuration) throws IOException, ConfigFileException {
        NginxIncludes includes = configuration.getNginx().includes();
        List<Path> written = new ArrayList<>();
        if (!Files.exists(includes.upstream())) {
            write(includes.upstream(), UpstreamInclude.render(UpstreamInclude.servers(liveServer(configuration),
                    configuration)));
            written.add(includes.upstream());
        }
        if (LivePageFiles.missing(configuration)) {
            String live = Files.exists(includes.upstream()) ? UpstreamInclude.read(includes.upstream()).stream()
                    .findFirst().orElse(liveServer(configuration)) : liveServer(configuration);
            LivePageFiles.point(configuration, live);
        }
        if (!Files.exists(includes.maintenance())) {
            write(includes.maintenance(), MaintenanceInclude.render(Optional.empty()));
            written.add(includes.maintenance());
        }
        if (!Files.exists(includes.page())) {
            write(includes.page(), MaintenancePage.render(siteName(configuration), ""));
            written.add(includes.page());
        }
        return written;
    }

    /**
     * Rewrites an existing upstream include whose other nodes are no longer {@code nginx.peers}, keeping this node's
     * server as ops deploy left it; whether it did. nginx reads it at its next reload.
     */
    static boolean updatePeers(AthanorConfiguration configuration) throws IOException {
        Path file = configuration.getNginx().includes().upstream();
        if (!Files.exists(file)) {
            return false;
        }
        // Under the lock ops deploy and ops maintenance take, so a deploy's switch and this never interleave.
        try (FileChannel channel = FileChannel.open(file.resolveSibling(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            List<String> current = UpstreamInclude.read(file);
            List<String> wanted = current.isEmpty() ? current : UpstreamInclude.servers(current.get(0),
                    configuration);
            if (wanted.equals(current)) {
                return false;
            }
            write(file, UpstreamInclude.render(wanted));
            return true;
        }
    }

    /** Where the live release answers: its slot's port when a deploy has recorded one, else the server's port. */
    static String liveServer(AthanorConfiguration configuration) throws IOException, ConfigFileException {
        Path live = configuration.getDeploy().getDirectory().resolve("live.json");
        if (Files.exists(live)) {
            JsonNode node = new ObjectMapper().readTree(live.toFile());
            String slot = node.path("slot").asText("");
            try {
                return "127.0.0.1:" + configuration.getDeploy().slot(slot).getPort();
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(live + " names no slot a or b: " + node);
            }
        }
        return SiteAddresses.siteUrl(configuration).map(url -> url.substring("http://".length()))
                .orElseThrow(() -> new ConfigFileException("the site's port is not fixed in server"
                        + ".applicationConnectors and no release is live (" + live + "); nginx needs to know where"
                        + " to proxy"));
    }

    static String siteName(AthanorConfiguration configuration) {
        return configuration.getSite().build().name();
    }

    static void write(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
    }
}
