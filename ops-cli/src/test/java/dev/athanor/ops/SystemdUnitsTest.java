package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every unit file in systemd/ passes {@code systemd-analyze verify} without a word of complaint, and is hardened to an
 * exposure of 2.0 or less by {@code systemd-analyze security}, each hardening setting with its reason beside it. A
 * template ({@code athanor@.service}) is checked as its instance {@code athanor@a.service} (a copy under that name):
 * systemd checks a template's command only once an instance names it.
 */
class SystemdUnitsTest {

    private static final Path UNITS = UnitFile.DIRECTORY;
    /** The services that run a JVM. */
    private static final List<String> SERVICES = List.of("athanor@.service", "athanor-scheduler.service",
            "athanor-health-watch.service");
    /** Every service: the JVM's and pgBackRest's backups of a system PostgreSQL. */
    private static final List<String> ALL_SERVICES = List.of("athanor@.service", "athanor-scheduler.service",
            "athanor-health-watch.service", "athanor-pitr@.service");

    @TempDir
    Path instances;
    private static final double MOST_EXPOSURE = 2.0;
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d+)");

    @Test
    void everyUnitVerifies() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (./dev test installs it)");
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        List<Path> units;
        try (Stream<Path> files = Files.list(UNITS)) {
            units = files.filter(file -> file.toString().endsWith(".service") || file.toString().endsWith(".timer"))
                    .sorted().toList();
        }
        for (Path unit : units) {
            command.add(asInstance(unit).toAbsolutePath().toString());
        }
        assertThat(command).hasSizeGreaterThan(2).anyMatch(unit -> unit.endsWith("/athanor@a.service"));

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as("systemd-analyze verify output").isEmpty();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void everyServiceIsExposedAtMost2() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (./dev test installs it)");
        try (Stream<Path> files = Files.list(UNITS)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".service")))
                    .as("the services this test rates").containsExactlyInAnyOrderElementsOf(ALL_SERVICES);
        }
        for (String service : ALL_SERVICES) {
            // systemd 252 (Debian 12) rates a unit file without a running systemd given --offline=true.
            Path rated = asInstance(UNITS.resolve(service));
            Process process = new ProcessBuilder("systemd-analyze", "security", "--offline=true", "--no-pager",
                    rated.toAbsolutePath().toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Matcher overall = EXPOSURE.matcher(output);

            assertThat(overall.find()).as(service + ": systemd-analyze security said\n" + output).isTrue();
            assertThat(overall.group(1)).isEqualTo(rated.getFileName().toString());
            assertThat(Double.parseDouble(overall.group(2))).as(service + ": exposure, systemd-analyze security said\n"
                    + output).isLessThanOrEqualTo(MOST_EXPOSURE);
        }
    }

    /**
     * In the hardening block (from the comment starting {@code # Hardening} to the next blank line) every setting has a
     * comment line right above it, its own: two settings never share one. MemoryDenyWriteExecute stays off (the JIT
     * compilers write the code they run) and a comment there says so; the units keep the network.
     */
    @Test
    void everyHardeningSettingSaysWhyAndTheJitKeepsItsMemory() throws IOException {
        for (String service : SERVICES) {
            UnitFile unit = UnitFile.read(service);
            List<String> block = unit.hardeningBlock();

            assertThat(unit.hardeningDirectives()).as(service + ": hardening settings").hasSizeGreaterThan(20);
            for (int line = 1; line < block.size(); line++) {
                if (!block.get(line).startsWith("#")) {
                    assertThat(block.get(line - 1)).as(service + ": the comment right above " + block.get(line))
                            .startsWith("#");
                }
            }
            assertThat(unit.text().lines().filter(line -> !line.startsWith("#")))
                    .as(service + ": settings outside comments")
                    .noneMatch(line -> line.matches("MemoryDenyWriteExecute=\\s*(yes|true|on|1)\\s*"))
                    .noneMatch(line -> line.startsWith("PrivateNetwork=") || line.startsWith("IPAddressDeny="));
            assertThat(commentParagraphs(block)).as(service + ": the hardening block's comments")
                    .anyMatch(comment -> comment.contains("MemoryDenyWriteExecute") && comment.contains("JIT"));
        }
    }

    @Test
    void theSiteUnitIsHardenedAndRestartsOnFailure() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor@.service"));

        assertThat(unit).contains("User=athanor", "Restart=on-failure", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "ReadWritePaths=/var/lib/athanor /var/log/athanor", "-Xmx256m");
        assertThat(unit.lines().filter(line -> line.startsWith("EnvironmentFile=")))
                .as("the secrets, then the slot's own file, whose values win")
                .containsExactly("EnvironmentFile=/etc/athanor/athanor.env",
                        "EnvironmentFile=/opt/athanor/instances/%i.env");
    }

    /**
     * An instance runs the jar and the out-of-memory note of the release its slot's file names, whatever
     * {@code current} says: two releases run side by side during a deploy.
     */
    @Test
    void theSiteInstanceRunsTheReleaseItsSlotFileNames() throws IOException {
        List<String> words = UnitFile.read("athanor@.service")
                .execStart(Map.of("ATHANOR_RELEASE", "/opt/athanor/releases/1.2.0-3fa9c21b"));

        assertThat(String.join(" ", words)).endsWith(
                " -jar /opt/athanor/releases/1.2.0-3fa9c21b/athanor.jar server /etc/athanor/config.yml");
        assertThat(words).contains("-XX:OnOutOfMemoryError=sh /opt/athanor/releases/1.2.0-3fa9c21b/systemd/"
                + "athanor-oom-note %p app.log").noneMatch(word -> word.contains("/opt/athanor/current"));
    }

    /** systemd lets the old instance drain (deploy.drainTimeout, 30 s) before it kills it. */
    @Test
    void theSiteUnitWaitsOutTheDrainBeforeKilling() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor@.service"));
        Matcher timeout = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$").matcher(unit);

        assertThat(timeout.find()).as("TimeoutStopSec in seconds").isTrue();
        assertThat(Integer.parseInt(timeout.group(1))).isGreaterThan(30).isLessThanOrEqualTo(60);
        assertThat(unit).contains("KillSignal=SIGTERM", "SuccessExitStatus=143");
    }

    @Test
    void thePitrBackupsRunPgBackRestAsPostgresWithTheConfigurationSetupWrites() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor-pitr@.service"));
        String config = Files.readString(Path.of("..", "config.yml"));

        assertThat(unit).contains("User=postgres", "Type=oneshot", "ExecStart=/usr/bin/pgbackrest"
                + " --config=/var/lib/athanor/pitr/pgbackrest.conf --stanza=athanor backup --type=%i");
        assertThat(config).as("backup.pitr.directory is the data directory's pitr/, /var/lib/athanor on a server")
                .contains("directory: ${ATHANOR_DATA_DIR:-./data}/pitr");
        assertThat(Files.readString(UNITS.resolve("athanor-scheduler.service")))
                .contains("ATHANOR_DATA_DIR=/var/lib/athanor");
    }

    @Test
    void theHealthWatchRunsOpsAsTheSiteUserAndRestartsAlways() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor-health-watch.service"));

        assertThat(unit).contains("User=athanor", "Restart=always", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "EnvironmentFile=/etc/athanor/athanor.env", "ATHANOR_CONFIG=/etc/athanor/config.yml",
                "-jar /opt/athanor/current/ops.jar health --watch", "ReadWritePaths=/var/lib/athanor");
    }

    @Test
    void theSchedulerUnitIsHardenedLikeTheSiteAndStopsGracefully() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor-scheduler.service"));

        assertThat(unit).contains("User=athanor", "Restart=on-failure", "EnvironmentFile=/etc/athanor/athanor.env",
                "-Xmx128m", "-jar /opt/athanor/current/ops.jar scheduler run --config /etc/athanor/config.yml",
                "KillSignal=SIGTERM", "SuccessExitStatus=143", "TimeoutStopSec=11min");
        assertThat(UnitFile.read("athanor-scheduler.service").hardeningDirectives()).as("the site's hardening settings")
                .containsAll(UnitFile.read("athanor@.service").hardeningDirectives());
    }

    @Test
    void theSchedulerUnitStartsTheDaemonNotTheSchedulersUsage() throws IOException {
        List<String> words = UnitFile.read("athanor-scheduler.service").execStart();
        List<String> arguments = words.subList(words.indexOf("/opt/athanor/current/ops.jar") + 1, words.size());

        List<CommandLine> parsed = Ops.commandLine().parseArgs(arguments.toArray(String[]::new)).asCommandLineList();

        assertThat(parsed.get(parsed.size() - 1).getCommandSpec().qualifiedName()).as(String.join(" ", arguments))
                .isEqualTo("ops scheduler run");
    }

    /** The unit file itself, or for a template a copy named as its instance {@code a} ({@code NAME@a.service}). */
    private Path asInstance(Path unit) throws IOException {
        String name = unit.getFileName().toString();
        if (!name.contains("@.")) {
            return unit;
        }
        return Files.copy(unit, instances.resolve(name.replace("@.", "@a.")),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Each run of consecutive comment lines, joined. */
    private static List<String> commentParagraphs(List<String> lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith("#")) {
                paragraph.append(line.substring(1)).append('\n');
            } else if (!paragraph.isEmpty()) {
                paragraphs.add(paragraph.toString());
                paragraph.setLength(0);
            }
        }
        if (!paragraph.isEmpty()) {
            paragraphs.add(paragraph.toString());
        }
        return paragraphs;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }
}
