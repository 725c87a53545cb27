package dev.athanor.ops.deploy;

import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * What one slot's instance runs, as {@code DIR/instances/SLOT.env} tells it ({@code athanor@SLOT.service} reads it
 * through {@code EnvironmentFile=}): the slot's site and admin ports and the absolute directory of its release. No
 * secrets: mode 0644.
 */
record InstanceEnvironment(String slot, int port, int adminPort, Path release) {

    /** What systemd's EnvironmentFile= and ExecStart= take as they are: no spaces, quotes, $ or backslashes. */
    private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");

    /** The slot's ports (deploy.slotA or deploy.slotB) with the release. */
    static InstanceEnvironment of(DeployFactory deploy, String slot, Release release) {
        DeployFactory.Slot ports = deploy.slot(slot);
        return new InstanceEnvironment(slot, ports.getPort(), ports.getAdminPort(),
                release.directory().toAbsolutePath().normalize());
    }

    /** {@code DIR/instances/SLOT.env}. */
    static Path file(Path installDirectory, String slot) {
        return installDirectory.resolve("instances").resolve(slot + ".env");
    }

    String text() {
        return "# Written by ops deploy: the release slot " + slot + " runs, and its ports (athanor@" + slot
                + ".service reads this file).\n"
                + "ATHANOR_PORT=" + port + "\n"
                + "ATHANOR_ADMIN_PORT=" + adminPort + "\n"
                + "ATHANOR_RELEASE=" + release + "\n";
    }

    /**
     * Replaces the slot's file in one step (a file beside it, then renamed over it): an instance that starts meanwhile
     * reads the old file or the new one, never half of one.
     */
    void write(Path installDirectory) throws DeployException {
        if (!PLAIN_PATH.matcher(release.toString()).matches()) {
            throw new DeployException("the release directory " + release + " has a character systemd would read as"
                    + " more than a path (a space, quote, $ or backslash): choose a plainer deploy.directory", 78);
        }
        Path target = file(installDirectory, slot);
        try {
            Files.createDirectories(target.getParent());
            Path next = target.resolveSibling("." + slot + ".env.next");
            Files.writeString(next, text());
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DeployException("cannot write " + target + ": " + e.getMessage(), 73, e);
        }
    }
}
