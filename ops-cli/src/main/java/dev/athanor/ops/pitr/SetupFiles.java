package dev.athanor.ops.pitr;

import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.PitrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;

/**
 * Files and directories that pgBackRest reads and writes as the cluster's OS user: made by Athanor (perhaps as root)
 * and given to the owner of the cluster's data directory, private to it.
 */
final class SetupFiles {

    private final UserPrincipal owner;
    private final GroupPrincipal group;

    SetupFiles(Cluster cluster) throws PitrException {
        try {
            PosixFileAttributes data = Files.readAttributes(cluster.dataDirectory(), PosixFileAttributes.class);
            this.owner = data.owner();
            this.group = data.group();
        } catch (IOException e) {
            throw new PitrException("could not read the owner of " + cluster.dataDirectory() + ": " + e.getMessage(),
                    PitrException.CONFIG, e);
        }
    }

    /**
     * Makes {@code directory} and its {@code children}, the cluster owner's. The children are private to it; the
     * directory itself may be passed through by others (0711, not listed), so that the site's user can see that
     * pgBackRest's configuration is there without reading it.
     */
    void directories(Path directory, List<String> children) throws PitrException {
        try {
            for (Path path : java.util.stream.Stream.concat(java.util.stream.Stream.of(directory),
                    children.stream().map(directory::resolve)).toList()) {
                Files.createDirectories(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(path.equals(directory)
                        ? "rwx--x--x" : "rwx------"));
                own(path);
            }
        } catch (IOException e) {
            throw new PitrException("could not make " + directory + ": " + e.getMessage(), PitrException.CONFIG, e);
        }
    }

    /**
     * Lets the cluster's owner pass through each directory above {@code directory} that it may not (on a server,
     * /var/lib/athanor is the athanor user's, 0750, and pgBackRest runs as postgres): others get search permission
     * there, not listing. What changed, if anything.
     */
    Optional<String> reachable(Path directory) throws PitrException {
        List<String> opened = new java.util.ArrayList<>();
        try {
            for (Path above = directory.toAbsolutePath().normalize().getParent(); above != null;
                    above = above.getParent()) {
                PosixFileAttributes attributes = Files.readAttributes(above, PosixFileAttributes.class);
                java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions = attributes.permissions();
                if (!attributes.owner().equals(owner)
                        && !permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(above, permissions);
                    opened.add(above.toString());
                }
            }
        } catch (IOException e) {
            throw new PitrException("could not let " + owner.getName() + " reach " + directory + ": " + e.getMessage(),
                    PitrException.CONFIG, e);
        }
        return opened.isEmpty() ? Optional.empty() : Optional.of("let " + owner.getName() + " pass through "
                + String.join(", ", opened) + " (o+x: search, not listing)");
    }

    Optional<String> read(Path file) throws PitrException {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new PitrException("could not read " + file + ": " + e.getMessage(), PitrException.CONFIG, e);
        }
    }

    /** Writes {@code text} to {@code file} (mode 0600, the cluster owner's) unless it holds it; whether it wrote. */
    boolean writeSecret(Path file, String text) throws PitrException {
        if (read(file).filter(text::equals).isPresent()) {
            return false;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            own(temporary);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            throw new PitrException("could not write " + file + ": " + e.getMessage(), PitrException.CONFIG, e);
        }
    }

    private void own(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        PosixFileAttributes current = view.readAttributes();
        if (!current.owner().equals(owner)) {
            view.setOwner(owner);
        }
        if (!current.group().equals(group)) {
            view.setGroup(group);
        }
    }

    /**
     * Runs an operator's shell command (a restart), failing with its output. The output goes through a file, not a
     * pipe: a server started by the command keeps its standard output open for as long as it runs.
     */
    static void runShell(String command) throws IOException, PitrException {
        Path output = Files.createTempFile("athanor-restart-", ".log");
        try {
            Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (process.waitFor() != 0) {
                throw new PitrException(command + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(output, StandardCharsets.UTF_8).strip(), PitrException.FAILED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException(command + " was interrupted", PitrException.FAILED, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
