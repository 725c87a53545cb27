package dev.athanor.platform.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a running PostgreSQL writes into {@code postmaster.pid}: its process id on the first line and its port on the
 * fourth. A file left by a server that died is recognised by its process being gone.
 */
record PostmasterPid(long pid, int port) {

    static Optional<PostmasterPid> read(Path dataDirectory) throws EmbeddedPostgresException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("could not read " + dataDirectory.resolve("postmaster.pid")
                    + ": " + e.getMessage(), e);
        }
        if (lines.size() < 4) {
            // The server is still writing the file; treat it as not yet running.
            return Optional.empty();
        }
        try {
            return Optional.of(new PostmasterPid(Long.parseLong(lines.get(0).strip()),
                    Integer.parseInt(lines.get(3).strip())));
        } catch (NumberFormatException e) {
            throw new EmbeddedPostgresException("unexpected contents in " + dataDirectory.resolve("postmaster.pid"));
        }
    }

    boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
