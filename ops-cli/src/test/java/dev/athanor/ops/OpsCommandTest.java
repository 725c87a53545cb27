package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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
