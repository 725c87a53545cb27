package dev.athanor.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigOptionTest {

    @Test
    void opsMapperIsDropwizardsWithoutBlackbird() {
        Set<Object> dropwizards = new HashSet<>(Jackson.newObjectMapper().getRegisteredModuleIds());
        assertThat(dropwizards.remove(new BlackbirdModule().getTypeId())).isTrue();

        ObjectMapper ours = ConfigOption.mapper();
        assertThat(ours.getRegisteredModuleIds()).containsExactlyInAnyOrderElementsOf(dropwizards);
        ObjectMapper reference = Jackson.newObjectMapper();
        assertThat(ours.getDeserializationConfig().getDeserializationFeatures())
                .isEqualTo(reference.getDeserializationConfig().getDeserializationFeatures());
        assertThat(ours.getPropertyNamingStrategy()).hasSameClassAs(reference.getPropertyNamingStrategy());
        assertThat(ours.getSubtypeResolver()).hasSameClassAs(reference.getSubtypeResolver());
    }

    @Test
    void theShippedConfigurationReadsAsTheSiteReadsIt(@TempDir Path directory) throws Exception {
        Path file = new TestConfig().set("ATHANOR_DATA_DIR", directory.toString())
                .s3("https://spaces.example").write(directory);

        AthanorConfiguration ours = ConfigOption.of(file).load();
        AthanorConfiguration sites = new YamlConfigurationFactory<>(AthanorConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw").build(new SubstitutingSourceProvider(
                        new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)),
                file.toString());

        ObjectMapper json = Jackson.newObjectMapper();
        JsonNode expected = json.valueToTree(sites);
        assertThat(expected.path("backup").path("storage").path("type").asText()).isEqualTo("s3");
        assertThat((JsonNode) json.valueToTree(ours)).isEqualTo(expected);
    }

    @Test
    void theConfigFileMayComeBeforeTheCommandOrAfterIt() {
        OpsRun before = OpsRun.of("--config", "/nonexistent/before.yml", "members", "list");
        OpsRun after = OpsRun.of("members", "list", "--config", "/nonexistent/after.yml");

        assertThat(before.exitCode()).as(before.err()).isEqualTo(78);
        assertThat(before.err())
                .isEqualTo("ops: /nonexistent/before.yml: no such configuration file (use --config FILE)\n");
        assertThat(after.exitCode()).as(after.err()).isEqualTo(78);
        assertThat(after.err()).contains("/nonexistent/after.yml: no such configuration file");
    }

    @Test
    void theConfigFileNearerTheCommandWins() {
        OpsRun both = OpsRun.of("-c", "/nonexistent/before.yml", "backup", "list", "-c", "/nonexistent/after.yml");

        assertThat(both.err()).contains("/nonexistent/after.yml").doesNotContain("before.yml");
    }
}
