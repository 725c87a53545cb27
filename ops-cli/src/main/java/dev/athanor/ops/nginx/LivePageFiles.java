package dev.athanor.ops.nginx;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.nginx.NginxSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The link {@code nginx.pageFiles/live}, which nginx answers anonymous pages from: pointed at the folder of the slot
 * whose port is this node's live server whenever ops points nginx there, and removed when that server is no slot's
 * (nginx then asks the site for every page). Replaced in one rename, so nginx always finds one folder or none.
 */
final class LivePageFiles {

    private LivePageFiles() {
    }

    /** Points the link at the slot answering at {@code localServer} ({@code 127.0.0.1:8090}), with page files on. */
    static void point(AthanorConfiguration configuration, String localServer) throws IOException {
        Optional<Path> folder = configuration.getNginx().getPageFiles();
        if (folder.isEmpty()) {
            return;
        }
        Path link = folder.get().resolve(NginxSite.LIVE_PAGES);
        Optional<String> slot = configuration.getDeploy().slotOf(localServer);
        if (slot.isEmpty()) {
            Files.deleteIfExists(link);
            return;
        }
        Files.createDirectories(folder.get());
        Path next = folder.get().resolve("." + NginxSite.LIVE_PAGES + "-" + ProcessHandle.current().pid());
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, Path.of(slot.get()));
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether the link is missing while page files are on. */
    static boolean missing(AthanorConfiguration configuration) {
        return configuration.getNginx().getPageFiles()
                .map(folder -> !Files.isSymbolicLink(folder.resolve(NginxSite.LIVE_PAGES))).orElse(false);
    }
}
