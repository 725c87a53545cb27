package dev.athanor.ops.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The units a release ships in its {@code systemd/}, installed into systemd's unit directory
 * ({@code deploy.unitDirectory}, {@code /etc/systemd/system}) when they differ from what is there, with one
 * {@code systemctl daemon-reload} after; and the companions (scheduler, health watch) restarted onto the live release.
 * The units name {@code /opt/athanor}; an install directory elsewhere ({@code deploy.directory}) is written in its
 * place, so that each instance reads its own {@code DIR/instances/SLOT.env}.
 */
final class UnitFiles {

    /** The units a release installs: the site's template, its two companions, and the system cluster's backups. */
    static final List<String> UNITS = List.of("athanor@.service", "athanor-scheduler.service",
            "athanor-health-watch.service", "athanor-pitr@.service");
    /** The companions, which run {@code /opt/athanor/current/ops.jar}. */
    static final List<String> COMPANIONS = List.of("athanor-scheduler.service", "athanor-health-watch.service");

    private static final String SHIPPED_DIRECTORY = "/opt/athanor";
    private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");

    private final Path installDirectory;
    private final Systemctl systemctl;

    UnitFiles(Path installDirectory, Systemctl systemctl) {
        this.installDirectory = installDirectory.toAbsolutePath().normalize();
        this.systemctl = systemctl;
    }

    /**
     * Copies each of the release's {@link #UNITS} into {@code unitDirectory} unless the same is there already, each
     * in one step (mode 0644), then reloads systemd once if any changed. Whether any changed.
     */
    boolean install(Release release, Path unitDirectory) throws DeployException {
        if (!PLAIN_PATH.matcher(installDirectory.toString()).matches()) {
            throw new DeployException("deploy.directory " + installDirectory + " has a character a unit file cannot"
                    + " hold in a path (a space, quote, $ or backslash): choose a plainer one", 78);
        }
        Map<String, byte[]> wanted = new LinkedHashMap<>();
        for (String unit : UNITS) {
            wanted.put(unit, rendered(release, unit)); // all read before any is written
        }
        boolean changed = false;
        for (Map.Entry<String, byte[]> unit : wanted.entrySet()) {
            Path target = unitDirectory.resolve(unit.getKey());
            try {
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), unit.getValue())) {
                    continue;
                }
                Files.createDirectories(unitDirectory);
                Path next = unitDirectory.resolve("." + unit.getKey() + ".next");
                Files.write(next, unit.getValue());
                Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                changed = true;
            } catch (IOException e) {
                throw new DeployException("cannot install " + unit.getKey() + " into " + unitDirectory + ": "
                        + e.getMessage() + " (ops deploy runs as root: sudo ops deploy ...)", 73, e);
            }
        }
        if (changed) {
            systemctl.tell("daemon-reload");
        }
        return changed;
    }

    /**
     * Restarts the scheduler and the health watch where they run, so that they run the live release's ops.jar;
     * without waiting ({@code --no-block}): the scheduler first finishes a backup in progress, which may take minutes.
     */
    void restartCompanions() throws DeployException {
        List<String> arguments = new ArrayList<>(List.of("--no-block", "try-restart"));
        arguments.addAll(COMPANIONS);
        systemctl.tell(arguments.toArray(String[]::new));
    }

    private byte[] rendered(Release release, String unit) throws DeployException {
        Path source = release.directory().resolve("systemd").resolve(unit);
        try {
            String text = Files.readString(source, StandardCharsets.UTF_8);
            if (!installDirectory.toString().equals(SHIPPED_DIRECTORY)) {
                text = text.replace(SHIPPED_DIRECTORY + "/", installDirectory + "/");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeployException("release " + release.name() + " has no readable systemd/" + unit + " ("
                    + e.getMessage() + "): is it an athanor release archive?", 65, e);
        }
    }
}
