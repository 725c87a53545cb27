package dev.athanor.ops.deploy;

import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.IOException;
import java.util.List;

/**
 * What comes with a release besides its site: the static files nginx serves (exported by the release's own
 * {@code ops nginx assets} before it takes traffic, so its pages never name an asset nginx lacks) and, on a server,
 * its unit files (installed when they changed) and the scheduler and health watch (restarted on the new
 * {@code ops.jar} once it is live).
 */
final class Companions {

    private final DeployContext context;
    private final UnitFiles units;

    private Companions(DeployContext context, UnitFiles units) {
        this.context = context;
        this.units = units;
    }

    static Companions of(DeployContext context) {
        return new Companions(context, context.settings.getMode() == DeployFactory.Mode.SYSTEMD
                ? new UnitFiles(context.store.directory(), new Systemctl()) : null);
    }

    void prepare(Release release) throws DeployException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                release.opsJar().toString(), "nginx", "assets", "--config",
                context.config.file().toAbsolutePath().toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new DeployException("exporting " + release.name() + "'s static files failed: " + output, 74);
            }
        } catch (IOException e) {
            throw new DeployException("cannot export the static files: " + e.getMessage(), 71, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted", 70, e);
        }
        if (units != null && units.install(release, context.settings.getUnitDirectory())) {
            context.step.accept("Installed the release's changed unit files");
        }
    }

    void restart() throws DeployException {
        if (units != null) {
            units.restartCompanions();
        }
    }
}
