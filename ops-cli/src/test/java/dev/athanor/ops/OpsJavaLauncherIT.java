package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/ops-java, the launcher of /usr/local/bin/ops, with the built ops.jar: the first real command writes the
 * class-data archive and the next ones map it; standard output stays the command's own (JSON stays JSON); a new jar
 * gets a new archive; help writes none; an archive the JVM cannot map is thrown away; an unwritable directory and a
 * failing command change nothing about what the command itself does.
 */
class OpsJavaLauncherIT {

    private static final Path LAUNCHER = Path.of("..", "systemd", "ops-java").toAbsolutePath().normalize();
    private static final Path CONFIG = Path.of("..", "config.yml").toAbsolutePath().normalize();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    Path temp;

    private Path jar;
    private Path archives;

    @BeforeEach
    void copyTheJar() throws IOException {
        jar = Files.copy(Path.of(System.getProperty("ops.jar")), temp.resolve("ops.jar"));
        archives = temp.resolve("data/cds");
    }

    @Test
    void theFirstCommandWritesTheArchiveAndTheNextOnesMapIt() throws Exception {
        Run first = launch(Map.of(), "backup", "list", "--json");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(new ObjectMapper().readTree(first.out()).isArray()).as(first.out()).isTrue();
        assertThat(first.err()).as("nothing from the JVM while it writes the archive").isEmpty();
        assertThat(archives()).hasSize(1);
        assertThat(Files.size(archives().get(0))).isGreaterThan(5_000_000);
        assertThat(hiddenFiles()).as("no partial archive left").isEmpty();

        Path classes = temp.resolve("classes.txt");
        Run second = launch(Map.of("OPS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "backup", "list",
                "--json");

        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEmpty();
        assertThat(Files.readAllLines(classes)).as("ops's own classes come from the archive")
                .anyMatch(line -> line.contains(" dev.athanor.ops.BackupListCommand source: shared objects file"))
                .noneMatch(line -> line.contains(" dev.athanor.ops.BackupListCommand source: file:"));
    }

    @Test
    void aNewJarGetsANewArchiveAndTheOldOneGoes() throws Exception {
        assertThat(launch(Map.of(), "backup", "list", "--json").exit()).isZero();
        Path old = archives().get(0);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        Run upgraded = launch(Map.of(), "backup", "list", "--json");

        assertThat(upgraded.exit()).as(upgraded.err()).isZero();
        assertThat(upgraded.err()).isEmpty();
        assertThat(archives()).hasSize(1).doesNotContain(old);
    }

    @Test
    void helpAndVersionWriteNoArchive() throws Exception {
        Run help = launch(Map.of(), "--help");
        Run version = launch(Map.of(), "version");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: ops");
        assertThat(version.exit()).isZero();
        assertThat(Files.exists(archives) ? archives() : List.of()).isEmpty();
    }

    @Test
    void anArchiveTheJvmCannotMapIsThrownAway() throws Exception {
        // a java that leaves the archive short, as a full disk would
        Path shortening = Files.writeString(temp.resolve("java-shortening"), """
                #!/bin/sh
                status=0
                "%s" "$@" || status=$?
                for option in "$@"; do
                  case "$option" in -XX:ArchiveClassesAtExit=*)
                    file=${option#*=}; head -c 1000000 "$file" > "$file.short"; mv "$file.short" "$file";;
                  esac
                done
                exit $status
                """.formatted(JAVA));
        shortening.toFile().setExecutable(true);

        Run run = launch(Map.of("JAVA", shortening.toString()), "backup", "list", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).isArray()).isTrue();
        assertThat(archives()).isEmpty();
        assertThat(hiddenFiles()).isEmpty();
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(name -> name.startsWith("hs_err"));
        }
        Run next = launch(Map.of(), "backup", "list", "--json");
        assertThat(next.exit()).as("the next run writes a good one").isZero();
        assertThat(archives()).hasSize(1);
    }

    @Test
    void withoutAWritableDirectoryOpsRunsAsIs() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("a-file"), "x");

        Run run = launch(Map.of("OPS_CDS_DIR", notADirectory.resolve("cds").toString()), "backup", "list",
                "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).isArray()).isTrue();
    }

    @Test
    void aFailingCommandExitsAsItWouldWithPlainJava() throws Exception {
        String missing = temp.resolve("missing.yml").toString();
        Run plain = run(new ProcessBuilder(JAVA, "-jar", jar.toString(), "backup", "list", "--config", missing),
                Map.of());

        Run training = launch(Map.of(), "backup", "list", "--config", missing);
        Run mapped = launch(Map.of(), "backup", "list", "--config", missing);

        assertThat(plain.exit()).isNotZero();
        assertThat(training.exit()).isEqualTo(plain.exit());
        assertThat(training.err()).isEqualTo(plain.err());
        assertThat(mapped.exit()).isEqualTo(plain.exit());
        assertThat(mapped.err()).isEqualTo(plain.err());
        assertThat(archives()).as("an archive all the same: the classes were loaded").hasSize(1);
    }

    private Run launch(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(args));
        if (args.length > 1 && args[0].equals("backup") && !List.of(args).contains("--config")) {
            command.addAll(List.of("--config", CONFIG.toString()));
        }
        return run(new ProcessBuilder(command), environment);
    }

    private Run run(ProcessBuilder builder, Map<String, String> environment) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("OPS_JAR", jar.toString(), "JAVA", JAVA,
                "ATHANOR_DATA_DIR", temp.resolve("data").toString(), "ATHANOR_BACKUP_STORAGE", "directory",
                "ATHANOR_BACKUP_DIR", temp.resolve("backups").toString()));
        env.putAll(environment);
        builder.environment().putAll(env);
        builder.directory(temp.toFile());
        Path out = temp.resolve("stdout.txt");
        Path err = temp.resolve("stderr.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("ops finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            return files.filter(file -> file.getFileName().toString().matches("ops-[0-9]+\\.jsa")).toList();
        }
    }

    private List<Path> hiddenFiles() throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            return files.filter(file -> file.getFileName().toString().startsWith(".")).toList();
        }
    }

    private record Run(int exit, String out, String err) {
    }
}
