package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.monitoring.logs.LogFormat;
import dev.athanor.monitoring.logs.LogLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A JVM that runs out of memory under a unit leaves a trace in its log: started with the unit's own OutOfMemoryError
 * options (read from the unit file; only the note's path mapped to this checkout, which is laid out as a release: the
 * site's {@code ${ATHANOR_RELEASE}}, the scheduler's {@code /opt/athanor/current}), a
 * program that fills a 16 MiB heap exits with status 3, after systemd/athanor-oom-note has appended one ERROR line,
 * in the shape of Dropwizard's json layout, that names the error and the pid and that {@code ops logs} reads.
 */
class OutOfMemoryNoteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "/opt/athanor/current/systemd/";

    @TempDir
    Path logs;

    @ParameterizedTest
    @CsvSource({"athanor@.service, app.log", "athanor-scheduler.service, scheduler.log"})
    void aJvmOutOfMemoryWritesAnErrorLineIntoItsLogAndExits(String service, String logName) throws Exception {
        UnitFile unit = UnitFile.read(service);
        String checkout = UnitFile.DIRECTORY.toAbsolutePath().normalize().getParent().toString();
        List<String> options = unit.execStart(Map.of("ATHANOR_RELEASE", checkout)).stream()
                .filter(argument -> argument.contains("OutOfMemoryError"))
                .map(argument -> argument.replace(CURRENT, checkout + "/systemd/")).toList();
        assertThat(unit.text()).contains("ATHANOR_LOG_DIR=/var/log/athanor");
        assertThat(options).as(service + ": its JVM's OutOfMemoryError options").contains("-XX:+ExitOnOutOfMemoryError")
                .anyMatch(option -> option.startsWith("-XX:OnOutOfMemoryError=") && option.endsWith(" " + logName));
        Path log = logs.resolve(logName);
        String earlier = "{\"timestamp\":1795716466133,\"level\":\"INFO\",\"thread\":\"main\",\"logger\":"
                + "\"dev.athanor.Test\",\"message\":\"before\"}\n";
        Files.writeString(log, earlier);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx16m", "-XX:+UseSerialGC"));
        command.addAll(options);
        command.addAll(List.of("-cp", Path.of(Hog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString(), Hog.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("jvm.out").toFile());
        builder.environment().put("ATHANOR_LOG_DIR", logs.toString());
        Instant started = Instant.now();
        Process jvm = builder.start();
        try {
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("the JVM ends").isTrue();
        } finally {
            jvm.destroyForcibly();
        }
        Instant ended = Instant.now();
        String output = Files.readString(logs.resolve("jvm.out"), StandardCharsets.UTF_8);

        assertThat(jvm.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("Terminating due to java.lang.OutOfMemoryError: Java heap space");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(text).as("appended to what was there").startsWith(earlier).endsWith("\n");
        List<String> added = text.substring(earlier.length()).lines().toList();
        assertThat(added).as(text).hasSize(1);
        JsonNode note = JSON.readTree(added.get(0));
        assertThat(note.get("level").asText()).isEqualTo("ERROR");
        assertThat(note.get("logger").asText()).isEqualTo("java.lang.OutOfMemoryError");
        assertThat(note.get("thread").isTextual()).isTrue();
        assertThat(note.get("message").asText()).contains("OutOfMemoryError", "pid " + jvm.pid() + ")");
        assertThat(note.get("timestamp").isIntegralNumber()).isTrue();
        LogLine read = LogFormat.EVENTS.parse(added.get(0), ZoneId.systemDefault());
        assertThat(read.level()).isEqualTo("ERROR");
        assertThat(read.time()).isBetween(started.minusSeconds(1), ended.plusSeconds(1));
    }

    /** Holds on to ever more memory until the heap is full. */
    static final class Hog {

        public static void main(String[] args) {
            List<long[]> held = new ArrayList<>();
            while (true) {
                held.add(new long[1 << 16]);
            }
        }
    }
}
