package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ops status} names the lessons whose video has no captions: the demo content captions its first lesson only.
 * The names are a reminder on one line, not a problem (the exit code does not change for them).
 */
class CaptionGapsTest {

    @Test
    void statusNamesTheLessonsWithoutCaptions() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Path directory = TestPostgres.newDirectory("ops-captions");
        Files.createDirectories(directory.resolve("logs"));
        Path config = TestConfig.on(database, directory).write(directory);
        OpsRun imported = OpsRun.of("content", "import", Path.of("..", "content", "demo").toString(), "--config",
                config.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        OpsRun screen = OpsRun.of("status", "--config", config.toString());
        assertThat(screen.out()).containsPattern("(?m)^Captions +3 lesson\\(s\\) without captions:"
                + " java-from-scratch/variables-and-types, java-from-scratch/making-decisions,"
                + " java-from-scratch/loops$");

        OpsRun json = OpsRun.of("status", "--json", "--config", config.toString());
        JsonNode captions = new ObjectMapper().readTree(json.out()).get("captions");
        assertThat(captions.get("lessons")).extracting(JsonNode::asText).containsExactly(
                "java-from-scratch/variables-and-types", "java-from-scratch/making-decisions",
                "java-from-scratch/loops");
        assertThat(captions.get("problem").isNull()).isTrue();
        assertThat(new ObjectMapper().readTree(json.out()).get("problems")).extracting(JsonNode::asText)
                .noneMatch(problem -> problem.contains("caption"));
    }

    @Test
    void manyAreCountedAndAFailureIsSaid() {
        List<String> seven = List.of("c/1", "c/2", "c/3", "c/4", "c/5", "c/6", "c/7");
        assertThat(CaptionGaps.describe(new dev.athanor.monitoring.status.ServerStatus.Captions(seven, null)))
                .isEqualTo("7 lesson(s) without captions: c/1, c/2, c/3, c/4, c/5 and 2 more (see /admin)");
        assertThat(CaptionGaps.describe(new dev.athanor.monitoring.status.ServerStatus.Captions(List.of(), null)))
                .isEqualTo("every lesson with a video has captions");
        assertThat(CaptionGaps.describe(new dev.athanor.monitoring.status.ServerStatus.Captions(List.of(),
                "connection refused"))).isEqualTo("unknown: connection refused");
    }
}
