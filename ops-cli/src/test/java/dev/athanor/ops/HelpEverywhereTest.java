package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.OpsRun;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code --help} and {@code -h} on every command and subcommand of {@code ops}, found by walking the command line
 * {@code ops} builds, so a new command is covered without a line here.
 */
class HelpEverywhereTest {

    @TestFactory
    Stream<DynamicTest> everyCommandPrintsItsUsageOnHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(Ops.commandLine(), List.of(), paths);
        assertThat(paths).as("the walk reaches the commands and their subcommands")
                .contains(List.of("certs", "rollback"), List.of("backup", "run"), List.of("version"));

        return paths.stream().flatMap(path -> Stream.of("--help", "-h").map(help -> {
            List<String> args = new ArrayList<>(path);
            args.add(help);
            String line = "ops " + String.join(" ", args);
            return DynamicTest.dynamicTest(line, () -> {
                OpsRun run = OpsRun.of(args.toArray(String[]::new));

                assertThat(run.err()).as(line).isEmpty();
                assertThat(run.exitCode()).as(line).isZero();
                assertThat(run.out()).as(line).startsWith("Usage: ops " + String.join(" ", path) + " ");
                assertThat(run.out()).as(line + ": its own description, not the one ops passes down")
                        .doesNotContain(OpsCommand.class.getAnnotation(Command.class).description());
            });
        }));
    }

    @Test
    void versionOptionOfACommandIsTheVersionOfOps() {
        OpsRun top = OpsRun.of("--version");
        OpsRun ofACommand = OpsRun.of("certs", "renew", "-V");

        assertThat(top.exitCode()).isZero();
        assertThat(top.out()).startsWith("ops ");
        assertThat(ofACommand.exitCode()).isZero();
        assertThat(ofACommand.err()).isEmpty();
        assertThat(ofACommand.out()).isEqualTo(top.out());
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            paths.add(List.copyOf(subPath));
            collect(sub, subPath, paths);
        });
    }
}
