package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.OpsRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops completion} prints a script that the real bash sources and then completes {@code ops} with: the script's
 * completion function is called as bash calls it on TAB ({@code COMP_WORDS}, {@code COMP_CWORD}), and what it offers
 * is read back from {@code COMPREPLY} (bash says on standard error that {@code compopt} only works inside a
 * completion it started itself; that is left aside).
 */
class CompletionCommandTest {

    @TempDir
    Path directory;

    @Test
    void bashCompletesACommandFromItsFirstLetters() throws Exception {
        assertThat(complete("ops", "ba")).containsExactly("backup");
        assertThat(complete("ops", "ce")).containsExactly("certs");
    }

    @Test
    void bashCompletesSubcommandsAndOptions() throws Exception {
        assertThat(complete("ops", "scheduler", "")).contains("run", "status");
        assertThat(complete("ops", "backup", "list", "--j")).containsExactly("--json");
        assertThat(complete("ops", "members", "grant", "--con")).containsExactly("--config");
    }

    @Test
    void theScriptRegistersItselfForOpsAndWorksUnderZsh() {
        OpsRun run = OpsRun.of("completion");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("complete -F _complete_ops").contains("bashcompinit");
    }

    /** What bash offers when TAB is pressed at the end of {@code words} (the last one being completed). */
    private List<String> complete(String... words) throws IOException, InterruptedException {
        OpsRun run = OpsRun.of("completion");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path script = directory.resolve("ops-completion.bash");
        Files.writeString(script, run.out(), StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder();
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            line.append(line.length() == 0 ? "" : " ").append(word);
            array.append(" '").append(word).append("'");
        }
        String driver = "source \"$1\" && COMP_WORDS=(" + array + ") && COMP_CWORD=" + (words.length - 1)
                + " && COMP_LINE='" + line + "' && COMP_POINT=${#COMP_LINE} && _complete_ops ops '"
                + words[words.length - 1] + "' '" + (words.length > 1 ? words[words.length - 2] : "") + "'"
                + " && printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", driver, "bash", script.toString())
                .redirectError(directory.resolve("bash.err").toFile()).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(Files.readString(directory.resolve("bash.err"))).isZero();
        return output.lines().map(String::strip).filter(word -> !word.isEmpty()).toList();
    }
}
