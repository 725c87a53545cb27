package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorVersion;
import dev.athanor.ops.testing.OpsRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

class OpsCommandTest {

    @TempDir
    Path temp;

    @Test
    void helpListsTheCommands() {
        OpsRun help = OpsRun.of("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: ops").containsPattern("(?m)^\\s+version\\s+Print the version")
                .containsPattern("(?m)^\\s+db\\s+Show or apply the database migrations")
                .containsPattern("(?m)^\\s+backup\\s+Take, list, restore, verify and prune backups")
                .containsPattern("(?m)^\\s+scheduler\\s+Run the scheduler");
        assertThat(OpsRun.of().out()).isEqualTo(help.out());
    }

    @Test
    void onlyTheNamedCommandIsBuiltAndItBehavesAsInTheWholeTree() {
        assertThat(Ops.forArguments("backup", "list", "--json").getSubcommands()).containsOnlyKeys("backup");
        assertThat(Ops.forArguments("backup").getSubcommands().get("backup").getSubcommands())
                .containsKeys("run", "list", "restore", "verify", "prune");
        assertThat(Ops.forArguments().getSubcommands()).hasSize(OpsCommand.COMMANDS.size());
        assertThat(Ops.forArguments("--help").getSubcommands()).hasSize(OpsCommand.COMMANDS.size());
        assertThat(Ops.forArguments("bakup", "list").getSubcommands()).hasSize(OpsCommand.COMMANDS.size());

        for (String[] args : new String[][] {{"backup", "--help"}, {"certs", "renew", "--help"},
            {"backup", "frobnicate"}, {"logs", "--since", "soon"}}) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine whole = Ops.commandLine();
            whole.setOut(new java.io.PrintWriter(out, true));
            whole.setErr(new java.io.PrintWriter(err, true));
            int exitCode = whole.execute(args);
            OpsRun alone = OpsRun.of(args);

            assertThat(alone.exitCode()).as(String.join(" ", args)).isEqualTo(exitCode);
            assertThat(alone.out()).as(String.join(" ", args)).isEqualTo(out.toString());
            assertThat(alone.err()).as(String.join(" ", args)).isEqualTo(err.toString());
        }
    }

    @Test
    void versionForPeopleAndForScripts() throws Exception {
        OpsRun text = OpsRun.of("version");
        OpsRun json = OpsRun.of("version", "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).startsWith("ops " + AthanorVersion.current() + " (Java ");
        assertThat(AthanorVersion.current()).matches("\\d+\\.\\d+\\.\\d+.*");
        JsonNode parsed = new ObjectMapper().readTree(json.out());
        assertThat(parsed.get("ops").asText()).isEqualTo(AthanorVersion.current());
        assertThat(parsed.get("java").asText()).startsWith(Integer.toString(Runtime.version().feature()));
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        OpsRun run = OpsRun.of("frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void aMissingConfigFileIsOneLineAndExitCode78() {
        OpsRun run = OpsRun.of("db", "info", "--config", temp.resolve("nope.yml").toString());

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err().lines()).containsExactly(
                "ops: " + temp.resolve("nope.yml") + ": no such configuration file (use --config FILE)");
    }

    @Test
    void aBrokenConfigNamesTheKey() throws Exception {
        Path config = temp.resolve("config.yml");
        Files.writeString(config, Files.readString(Path.of("..", "config.yml"))
                .replace("minimumFreePercent: 10", "minimumFreePercent: lots"));

        OpsRun run = OpsRun.of("db", "info", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("ops: ").contains("storage.minimumFreePercent");
    }
}
