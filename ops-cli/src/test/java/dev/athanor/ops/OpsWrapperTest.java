package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code systemd/ops}, the wrapper installed as {@code /usr/local/bin/ops}, run by {@code sh} as on a server: only its
 * installed paths ({@code /etc/athanor/}, {@code /var/lib/athanor}, {@code /opt/athanor/}) mapped into a temporary
 * directory, and stand-ins for {@code id}, {@code runuser} and {@code java} first on PATH that record how they were
 * called. deploy, rollback and maintenance run as root in the caller's directory, wherever the command sits among
 * the options; everything else runs as athanor in the data directory; both with the secrets.
 */
class OpsWrapperTest {

    @TempDir
    Path temp;

    private Path calls;
    private Path wrapper;
    private Path bin;
    private Path caller;
    private Path data;
    private String liveJar;

    @BeforeEach
    void installWrapper() throws IOException {
        calls = temp.resolve("calls");
        bin = Files.createDirectories(temp.resolve("bin"));
        caller = Files.createDirectories(temp.resolve("operator"));
        data = Files.createDirectories(temp.resolve("var/lib/athanor"));
        Path etc = Files.createDirectories(temp.resolve("etc/athanor"));
        Files.writeString(etc.resolve("athanor.env"), "DATABASE_URL=postgresql://athanor:secret@127.0.0.1/athanor\n");
        Path opt = temp.resolve("opt/athanor");
        liveJar = Files.writeString(Files.createDirectories(opt.resolve("releases/1.2.0-3fa9c21b"))
                .resolve("ops.jar"), "jar").toString().replace("releases/1.2.0-3fa9c21b", "current");
        Files.createSymbolicLink(opt.resolve("current"), Path.of("releases/1.2.0-3fa9c21b"));

        String script = Files.readString(UnitFile.DIRECTORY.resolve("ops"))
                .replace("/etc/athanor/", etc + "/").replace("/var/lib/athanor", data.toString())
                .replace("/var/log/athanor", temp.resolve("var/log/athanor").toString())
                .replace("/opt/athanor", opt.toString());
        wrapper = Files.writeString(temp.resolve("ops"), script);

        standIn("id", "echo \"${STAND_IN_UID:-0}\"");
        standIn("runuser", """
                echo "runuser $*" >> "$CALLS"
                while [ "$1" != "--" ]; do shift; done
                shift
                exec "$@"
                """);
        standIn("java", """
                { echo "java $*"; echo "cwd $(pwd)"; echo "DATABASE_URL=$DATABASE_URL";
                  echo "ATHANOR_INSTALL_DIR=$ATHANOR_INSTALL_DIR ATHANOR_DEPLOY_MODE=$ATHANOR_DEPLOY_MODE"
                } >> "$CALLS"
                """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy athanor-1.2.0.tar.gz", "--config /etc/athanor/config.yml deploy athanor.tar.gz",
        "-c deploy.yml rollback", "--config=other.yml maintenance on --message soon",
        "-c other.yml -h deploy --dry-run"})
    void deployRollbackAndMaintenanceRunAsRootWhereTheOperatorIs(String arguments) throws Exception {
        Run run = run(Map.of(), arguments.split(" "));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.calls()).containsExactly("java -jar " + liveJar + " " + arguments, "cwd " + caller,
                "DATABASE_URL=postgresql://athanor:secret@127.0.0.1/athanor",
                "ATHANOR_INSTALL_DIR=/opt/athanor ATHANOR_DEPLOY_MODE=systemd".replace("/opt/athanor",
                        temp.resolve("opt/athanor").toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup list", "-c deploy backup run", "--config deploy.yml status", "--help",
        "doctor --json", "scheduler run --config rollback"})
    void everyOtherCommandRunsAsTheSiteUserInTheDataDirectory(String arguments) throws Exception {
        Run run = run(Map.of(), arguments.split(" "));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.calls()).containsExactly("runuser -u athanor -- java -jar " + liveJar + " " + arguments,
                "java -jar " + liveJar + " " + arguments, "cwd " + data,
                "DATABASE_URL=postgresql://athanor:secret@127.0.0.1/athanor",
                "ATHANOR_INSTALL_DIR=" + temp.resolve("opt/athanor") + " ATHANOR_DEPLOY_MODE=systemd");
    }

    @Test
    void opsJarChoosesTheJarForTheFirstInstall() throws Exception {
        Path unpacked = Files.writeString(Files.createDirectories(caller.resolve("athanor-1.2.0")).resolve("ops.jar"),
                "jar");
        Files.delete(temp.resolve("opt/athanor/current"));

        Run first = run(Map.of("OPS_JAR", unpacked.toString()), "deploy", "athanor-1.2.0.tar.gz");

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.calls()).startsWith("java -jar " + unpacked + " deploy athanor-1.2.0.tar.gz");
    }

    @Test
    void withoutAReleaseItSaysHowToInstallTheFirst() throws Exception {
        Files.delete(temp.resolve("opt/athanor/current"));

        Run run = run(Map.of(), "deploy", "athanor-1.2.0.tar.gz");

        assertThat(run.exitCode()).isEqualTo(69);
        assertThat(run.output()).contains("ops: " + liveJar + " not found: no release is installed yet",
                "OPS_JAR=$PWD/athanor-VERSION/ops.jar ops deploy athanor-VERSION.tar.gz");
        assertThat(calls).doesNotExist();
    }

    @Test
    void onlyRootMayRunIt() throws Exception {
        Run run = run(Map.of("STAND_IN_UID", "1000"), "deploy", "athanor-1.2.0.tar.gz");

        assertThat(run.exitCode()).isEqualTo(77);
        assertThat(run.output()).contains("ops: run it as root (sudo ops ...)");
        assertThat(calls).doesNotExist();
    }

    @Test
    void theShippedWrapperIsShellReadingTheSecretsBeforeTheSwitch() throws Exception {
        String shipped = Files.readString(UnitFile.DIRECTORY.resolve("ops"));

        assertThat(shipped).startsWith("#!/bin/sh\n").contains("${OPS_JAR:-/opt/athanor/current/ops.jar}",
                ". /etc/athanor/athanor.env", "ATHANOR_DATA_DIR=/var/lib/athanor",
                "exec runuser -u athanor -- java -jar \"$jar\" \"$@\"");
        assertThat(shipped.indexOf("athanor.env")).as("the secrets are read before the switch")
                .isLessThan(shipped.indexOf("runuser"));
        for (String script : List.of("ops", "athanor-oom-note")) {
            Process check = new ProcessBuilder("sh", "-n", UnitFile.DIRECTORY.resolve(script).toString())
                    .redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as(script + ": " + output).isZero();
            assertThat(Files.isExecutable(UnitFile.DIRECTORY.resolve(script))).as(script + " is executable").isTrue();
        }
    }

    private record Run(int exitCode, String output, List<String> calls) {
    }

    private Run run(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", wrapper.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(caller.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("CALLS", calls.toString());
        builder.environment().remove("OPS_JAR");
        builder.environment().remove("ATHANOR_INSTALL_DIR");
        builder.environment().remove("ATHANOR_DEPLOY_MODE");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    private void standIn(String program, String body) throws IOException {
        Path file = Files.writeString(bin.resolve(program), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
