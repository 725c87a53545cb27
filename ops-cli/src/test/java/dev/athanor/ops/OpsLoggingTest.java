package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * ops's logging as a fresh JVM sets it up from ops's logback.xml: libraries' words go to standard error, never
 * standard output (where --json goes), at WARN unless OPS_LOG_LEVEL asks for more.
 */
class OpsLoggingTest {

    private static final String LEVEL_VARIABLE = "OPS_LOG_LEVEL";

    /** Logs one line at each level, then exits. */
    public static final class TwoLines {
        public static void main(String[] args) {
            LoggerFactory.getLogger("dev.athanor.Example").info("an info line");
            LoggerFactory.getLogger("dev.athanor.Example").warn("a warning line");
            if (args.length > 0) {
                LoggerFactory.getLogger("Bare").error("it failed: {}", "disk full",
                        new IOException("No space left on device"));
            }
        }
    }

    private record Output(String out, String err) {
    }

    @Test
    void warningsOnlyByDefaultOnStandardError() throws Exception {
        Output output = run(null);

        assertThat(output.out()).isEmpty();
        assertThat(output.err().lines()).containsExactly("WARN Example: a warning line");
    }

    @Test
    void opsLogLevelAsksForMore() throws Exception {
        Output output = run("INFO");

        assertThat(output.out()).isEmpty();
        assertThat(output.err().lines()).containsExactly("INFO Example: an info line",
                "WARN Example: a warning line");
    }

    @Test
    void aThrowableFollowsItsLineWithItsStackTrace() throws Exception {
        Output output = run(null, "with-a-failure");

        assertThat(output.err().lines().toList()).startsWith("WARN Example: a warning line",
                "ERROR Bare: it failed: disk full", "java.io.IOException: No space left on device");
        assertThat(output.err().lines().skip(3).findFirst()).hasValueSatisfying(
                frame -> assertThat(frame).startsWith("\tat dev.athanor.ops.OpsLoggingTest$TwoLines.main("));
    }

    private static Output run(String level, String... arguments) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // ops.jar's logback.xml, by name: the test-jars on this classpath bring a logback-test.xml, which logback
        // would take first
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-Dlogback.configurationFile=logback.xml", "-cp", classpath,
                TwoLines.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(LEVEL_VARIABLE);
        if (level != null) {
            builder.environment().put(LEVEL_VARIABLE, level);
        }
        Process process = builder.start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Output(out, err);
        } finally {
            process.destroyForcibly();
        }
    }
}
