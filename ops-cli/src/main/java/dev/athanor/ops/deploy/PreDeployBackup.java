package dev.athanor.ops.deploy;

import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The backup taken before a release migrates the schema ({@code ops backup run --kind pre-deploy}), so that a
 * rollback the schema cannot take has a way back. It runs as its own {@code ops} process, as the service's user when
 * {@code ops} runs as root on a server, so that what it writes stays usable by the scheduler.
 */
final class PreDeployBackup {

    private PreDeployBackup() {
    }

    static void run(DeployContext context, boolean json) throws DeployException {
        context.step.accept("Backing up the database before migrating (ops backup run --kind pre-deploy)");
        List<String> command = new ArrayList<>();
        if (context.settings.getMode() == DeployFactory.Mode.SYSTEMD && isRoot()) {
            command.addAll(List.of("runuser", "-u", context.settings.getUser(), "--"));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", absoluteClassPath(), "dev.athanor.ops.Ops", "backup", "run",
                "--kind", "pre-deploy", "--config", context.config.file().toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        String dataDirectory = System.getenv("ATHANOR_DATA_DIR");
        if (dataDirectory != null && java.nio.file.Files.isDirectory(java.nio.file.Path.of(dataDirectory))) {
            builder.directory(new java.io.File(dataDirectory)); // root's own directory may be closed to the service user
        }
        builder.redirectOutput(json ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.INHERIT);
        try {
            int status = builder.start().waitFor();
            if (status != 0) {
                throw new DeployException("the pre-deploy backup failed (ops backup run exited " + status
                        + "); nothing was deployed", status == 74 ? 74 : 69);
            }
        } catch (IOException e) {
            throw new DeployException("cannot run the pre-deploy backup: " + e.getMessage(), 71, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted during the pre-deploy backup", 70, e);
        }
    }

    /** This process's class path with every entry absolute, since the backup runs in another directory. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> java.nio.file.Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
