package dev.athanor.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local instance's pid file, which the started shell writes before it becomes the JVM (so that a deploy killed just
 * after starting an instance still leaves it; that window is too short to hit from a test), names the JVM that runs
 * the release: the pid survives setsid, the shell and its exec. By it, {@code running} sees the instance and
 * {@code stop} ends it.
 */
class LocalInstancesTest {

    @TempDir
    Path install;

    private LocalInstances instances;

    @AfterEach
    void stopWhatStarted() throws Exception {
        if (instances != null) {
            instances.stop("a", Duration.ofSeconds(5));
        }
    }

    @Test
    void thePidFileNamesTheJvmThatRunsTheRelease() throws Exception {
        Path release = install.resolve("releases/1.0.0");
        Files.createDirectories(release.resolve("systemd"));
        Files.writeString(release.resolve("systemd/athanor@.service"), "[Service]\nExecStart=/usr/bin/java -Xmx32m "
                + "-jar ${ATHANOR_RELEASE}/athanor.jar server /etc/athanor/config.yml\n");
        writeStandInSite(release.resolve("athanor.jar"));
        DeployFactory settings = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                "{\"slotA\": {\"port\": 1, \"adminPort\": 2}, \"slotB\": {\"port\": 3, \"adminPort\": 4}}",
                DeployFactory.class);
        instances = new LocalInstances(settings, install, install.resolve("config.yml"));

        instances.start("a", new Release("1.0.0", release));

        Path log = install.resolve("instances/a.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.readString(log).contains("pid file at start") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String pid = Files.readString(install.resolve("instances/a.pid")).strip();
        assertThat(Files.readString(log)).contains("pid file at start: " + pid + ", my pid: " + pid);
        assertThat(instances.running("a")).isTrue();

        instances.stop("a", Duration.ofSeconds(5));
        assertThat(instances.running("a")).isFalse();
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).isNotEqualTo(
                java.util.Optional.of(true));
    }

    /** A jar whose main is {@link StandInSite}: prints what the slot's pid file held when it started, then waits. */
    private static void writeStandInSite(Path jar) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInSite.class.getName());
        String entry = StandInSite.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
                InputStream in = StandInSite.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            in.transferTo(jarOut);
            jarOut.closeEntry();
        }
    }

    /** The stand-in site's main. */
    public static final class StandInSite {
        public static void main(String[] args) throws Exception {
            Path pidFile = Path.of(System.getenv("ATHANOR_RELEASE")).getParent().getParent()
                    .resolve("instances/a.pid");
            String recorded = Files.isRegularFile(pidFile) ? Files.readString(pidFile, StandardCharsets.UTF_8).strip()
                    : "none";
            System.out.println("pid file at start: " + recorded + ", my pid: " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
