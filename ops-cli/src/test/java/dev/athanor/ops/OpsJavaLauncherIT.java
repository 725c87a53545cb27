package dev.athanor.ops;

import static java.nio.file.attribute.PosixFilePermission.GROUP_READ;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.testing.OpsRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/ops-java, the launcher behind /usr/local/bin/ops, with the packaged ops.jar: without an archive it runs the
 * jar as is and writes nothing; {@code --write-archive} keeps the classes of one command as the archive, which the
 * next runs map; a new jar runs without until the next {@code --write-archive}, which replaces the old archive; a
 * JVM that cannot write or share an archive (a full disk, sharing turned off) leaves none and ops works as before;
 * an archive others may write, or that is no archive at all, is not mapped; standard output, standard error and the
 * exit status stay the command's own.
 */
class OpsJavaLauncherIT {

    private static final Path LAUNCHER = Path.of("..", "systemd", "ops-java").toAbsolutePath().normalize();
    private static final Path CONFIG = Path.of("..", "config.yml").toAbsolutePath().normalize();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String LIST = "backup list --json";

    @TempDir
    Path temp;

    private Path jar;
    private Path archives;

    @BeforeEach
    void copyTheJar() throws IOException {
        jar = Files.copy(Path.of(System.getProperty("ops.jar")), temp.resolve("ops.jar"));
        archives = temp.resolve("cds");
    }

    @Test
    void withoutAnArchiveOpsRunsAsIsAndWritesNone() throws Exception {
        OpsRun run = launch(Map.of(), LIST);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).isArray()).as(run.out()).isTrue();
        assertThat(run.err()).isEmpty();
        assertThat(archives).doesNotExist();
    }

    @Test
    void writeArchiveKeepsTheClassesOfOneCommandAndTheNextRunsMapThem() throws Exception {
        assertThat(archiveAsOpsSeesIt().get("state").asText()).isEqualTo("none");

        OpsRun writing = launch(Map.of(), "--write-archive " + LIST);

        assertThat(writing.exitCode()).as(writing.err()).isZero();
        assertThat(new ObjectMapper().readTree(writing.out()).isArray()).as(writing.out()).isTrue();
        assertThat(writing.err()).as("one line, none of the JVM's").startsWith("ops-java: class-data archive ")
                .contains(" written (").hasLineCount(1);
        assertThat(archives()).hasSize(1);
        assertThat(Files.getPosixFilePermissions(archives().get(0))).containsExactlyInAnyOrder(OWNER_READ,
                OWNER_WRITE, GROUP_READ, OTHERS_READ);
        assertThat(Files.size(archives().get(0))).isGreaterThan(5_000_000);

        OpsRun mapped = launch(Map.of(), LIST);

        assertThat(mapped.exitCode()).as(mapped.err()).isZero();
        assertThat(mapped.out()).isEqualTo(writing.out());
        assertThat(mapped.err()).isEmpty();
        assertThat(classSource()).as("ops's own classes come from the archive").startsWith("shared objects file");
        JsonNode seen = archiveAsOpsSeesIt();
        assertThat(seen.get("state").asText()).as("ops version, ops doctor").isEqualTo("given");
        assertThat(seen.get("path").asText()).isEqualTo(archives().get(0).toString());

        OpsRun otherOptions = launch(Map.of("OPS_JAVA_OPTS", "-Xmx96m " + classLog()), LIST);
        assertThat(otherOptions.exitCode()).as(otherOptions.err()).isZero();
        assertThat(classSource()).as("OPS_JAVA_OPTS is part of the archive's name: not this one").startsWith("file:");
    }

    @Test
    void aNewJarRunsWithoutUntilTheNextWriteArchiveReplacesTheOldOne() throws Exception {
        assertThat(launch(Map.of(), "--write-archive " + LIST).exitCode()).isZero();
        Path old = archives().get(0);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        OpsRun upgraded = launch(Map.of(), LIST);

        assertThat(upgraded.exitCode()).as(upgraded.err()).isZero();
        assertThat(upgraded.err()).as("no word about the old archive").isEmpty();
        assertThat(classSource()).startsWith("file:");

        assertThat(launch(Map.of(), "--write-archive " + LIST).exitCode()).isZero();
        assertThat(archives()).hasSize(1).doesNotContain(old);
        assertThat(launch(Map.of(), LIST).exitCode()).isZero();
        assertThat(classSource()).startsWith("shared objects file");
    }

    @Test
    void aFullDiskLeavesNoArchiveAndOpsRunsAsBefore() throws Exception {
        Path cramped = Files.writeString(temp.resolve("java-on-a-full-disk"), """
                #!/bin/sh
                ulimit -f 4000
                exec "%s" "$@"
                """.formatted(JAVA));
        cramped.toFile().setExecutable(true);

        OpsRun writing = launch(Map.of("JAVA", cramped.toString()), "--write-archive " + LIST);

        assertThat(writing.exitCode()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(writing.out()).isArray()).as("stdout is the command's own: "
                + writing.out()).isTrue();
        assertThat(writing.err()).contains("ops-java: no class-data archive written");
        assertThat(archives()).isEmpty();
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err"));
        }
        OpsRun after = launch(Map.of(), LIST);
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.out()).isEqualTo(writing.out());
    }

    @Test
    void anArchiveCutShortAfterItWasWrittenIsNotKept() throws Exception {
        // Would crash every JVM that maps it (SIGBUS): the launcher has a JVM map it, checksums and all, first.
        Path cutting = Files.writeString(temp.resolve("java-cutting"), """
                #!/bin/sh
                status=0
                "%s" "$@" || status=$?
                for option in "$@"; do
                  case "$option" in -XX:ArchiveClassesAtExit=*)
                    file=${option#*=}; head -c 1000000 "$file" > "$file.cut"; mv "$file.cut" "$file";;
                  esac
                done
                exit $status
                """.formatted(JAVA));
        cutting.toFile().setExecutable(true);

        OpsRun writing = launch(Map.of("JAVA", cutting.toString()), "--write-archive " + LIST);

        assertThat(writing.exitCode()).isEqualTo(1);
        assertThat(writing.err()).contains("ops-java: no class-data archive written");
        assertThat(archives()).isEmpty();
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err"));
        }
    }

    @Test
    void aJvmThatCannotShareClassesRunsOpsAsIs() throws Exception {
        Map<String, String> off = Map.of("OPS_JAVA_OPTS", "-Xshare:off " + classLog());

        OpsRun writing = launch(off, "--write-archive " + LIST);
        OpsRun plain = launch(off, LIST);

        assertThat(writing.exitCode()).isNotZero();
        assertThat(writing.err()).contains("ops-java: no class-data archive written");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(new ObjectMapper().readTree(plain.out()).isArray()).isTrue();
    }

    @Test
    void anArchiveOthersMayWriteOrThatIsNoArchiveIsNotMapped() throws Exception {
        assertThat(launch(Map.of(), "--write-archive " + LIST).exitCode()).isZero();
        Path archive = archives().get(0);

        for (String writableByOthers : List.of("rw-rw-r--", "rw-r--rw-", "-------w-")) {
            Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString(writableByOthers));
            assertThat(launch(Map.of(), LIST).exitCode()).isZero();
            assertThat(classSource()).as(writableByOthers).startsWith("file:");
        }
        JsonNode refused = archiveAsOpsSeesIt();
        assertThat(refused.get("state").asText()).isEqualTo("refused");
        assertThat(refused.get("path").asText()).isEqualTo(archive.toString());

        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(launch(Map.of(), LIST).exitCode()).isZero();
        assertThat(classSource()).startsWith("shared objects file");

        Map<String, String> defaultDirectory = new HashMap<>();
        defaultDirectory.put("OPS_CDS_DIR", "");
        if (!runningAsRoot()) {
            assertThat(launch(defaultDirectory, LIST).exitCode()).isZero();
            assertThat(classSource()).as("in the default directory, only root's archive is mapped")
                    .startsWith("file:");
        }

        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Files.write(archive, noise);
        OpsRun damaged = launch(Map.of(), LIST);
        assertThat(damaged.exitCode()).as(damaged.err()).isZero();
        assertThat(new ObjectMapper().readTree(damaged.out()).isArray()).as(damaged.out()).isTrue();
        assertThat(classSource()).startsWith("file:");
    }

    @Test
    void asRootTheArchiveIsRootsAndOnlyRootsIsMappedFromTheDefaultDirectory() throws Exception {
        assumeTrue(runningAsRoot(), "needs root, as on the server");
        assumeTrue(run(new ProcessBuilder("id", "-u", "nobody"), Map.of()).exitCode() == 0, "needs the user nobody");
        // The server's layout: the jar and its cds directory root's, the command run as another user (nobody here).
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path logs = Files.createDirectories(temp.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, String> server = new HashMap<>(Map.of("OPS_CDS_DIR", "", "OPS_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + logs.resolve("classes.txt")));

        Map<String, String> writing = new HashMap<>(server);
        writing.put("OPS_USER", "nobody");
        OpsRun written = launch(writing, "--write-archive " + LIST);

        assertThat(written.exitCode()).as(written.err()).isZero();
        Path archive = archives().get(0);
        assertThat(Files.getOwner(archive).getName()).isEqualTo("root");
        assertThat(Files.getPosixFilePermissions(archive)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE,
                GROUP_READ, OTHERS_READ);
        try (Stream<Path> files = Files.list(archives)) {
            assertThat(files).as("nothing else left in the directory").containsExactly(archive);
        }

        OpsRun asNobody = runAsNobody(server);
        assertThat(asNobody.exitCode()).as(asNobody.err()).isZero();
        assertThat(classSource(logs)).as("root's archive").startsWith("shared objects file");

        Files.setOwner(archive, temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertThat(runAsNobody(server).exitCode()).isZero();
        assertThat(classSource(logs)).as("nobody's own archive, in the default directory").startsWith("file:");
    }

    private static boolean runningAsRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private OpsRun runAsNobody(Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "nobody", "--", "sh", LAUNCHER.toString()));
        command.addAll(List.of(LIST.split(" ")));
        command.addAll(List.of("--config", CONFIG.toString()));
        return run(new ProcessBuilder(command), environment);
    }

    @Test
    void theExitStatusAndTheMessagesAreTheCommandsOwn() throws Exception {
        String missing = "backup list --config " + temp.resolve("missing.yml");
        OpsRun plain = run(new ProcessBuilder(JAVA, "-jar", jar.toString(), "backup", "list", "--config",
                temp.resolve("missing.yml").toString()), Map.of());

        OpsRun writing = launch(Map.of(), "--write-archive " + missing);
        OpsRun mapped = launch(Map.of(), missing);

        assertThat(plain.exitCode()).isNotZero();
        assertThat(writing.exitCode()).isEqualTo(plain.exitCode());
        assertThat(writing.err()).startsWith(plain.err());
        assertThat(archives()).as("an archive all the same: the classes were loaded").hasSize(1);
        assertThat(mapped.exitCode()).isEqualTo(plain.exitCode());
        assertThat(mapped.err()).isEqualTo(plain.err());
        assertThat(mapped.out()).isEqualTo(plain.out());
    }

    /** Runs the launcher with ARGS (split at spaces; --config of the shipped config.yml added unless given). */
    private OpsRun launch(Map<String, String> environment, String args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(args.split(" ")));
        if (!args.contains("--config")) {
            command.addAll(List.of("--config", CONFIG.toString()));
        }
        return run(new ProcessBuilder(command), environment);
    }

    /** What {@code ops version --json}, started by the launcher, says of the archive: its state and path. */
    private JsonNode archiveAsOpsSeesIt() throws Exception {
        OpsRun version = run(new ProcessBuilder("sh", LAUNCHER.toString(), "version", "--json"), Map.of());
        assertThat(version.exitCode()).as(version.err()).isZero();
        return new ObjectMapper().readTree(version.out()).get("classDataArchive");
    }

    /** JVM options that log where each class came from (every launch has them, so they are part of the name). */
    private String classLog() {
        return "-Xlog:class+load=info:file=" + temp.resolve("classes.txt");
    }

    /** Where the last launch's JVM took ops's command class from: "shared objects file..." or "file:...". */
    private String classSource() throws IOException {
        return classSource(temp);
    }

    private String classSource(Path directory) throws IOException {
        return Files.readAllLines(directory.resolve("classes.txt")).stream()
                .filter(line -> line.contains(" dev.athanor.ops.BackupListCommand source: ")).findFirst()
                .map(line -> line.substring(line.indexOf(" source: ") + 9)).orElseThrow();
    }

    private OpsRun run(ProcessBuilder builder, Map<String, String> environment) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("OPS_JAR", jar.toString(), "JAVA", JAVA,
                "OPS_CDS_DIR", archives.toString(), "OPS_JAVA_OPTS", classLog(), "ATHANOR_DATA_DIR",
                temp.resolve("data").toString(), "ATHANOR_BACKUP_STORAGE", "directory", "ATHANOR_BACKUP_DIR",
                temp.resolve("backups").toString()));
        env.putAll(environment);
        env.values().removeIf(String::isEmpty);
        builder.environment().putAll(env);
        builder.directory(temp.toFile());
        Path out = temp.resolve("stdout.txt");
        Path err = temp.resolve("stderr.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("ops finished").isTrue();
        return new OpsRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Path> archives() throws IOException {
        if (!Files.isDirectory(archives)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(archives)) {
            return files.filter(file -> file.getFileName().toString().matches("ops-[0-9]+\\.jsa")).toList();
        }
    }
}
