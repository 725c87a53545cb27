package dev.athanor.ops.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ops content import} and {@code ops events} against the database of a running site: the site's cached pages
 * follow an import made by ops, in another connection, at once.
 */
class ContentCommandTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @Test
    void importsTheDemoFolderShowsThePlanFirstAndTheRunningSiteFollows() throws Exception {
        Path config = config();
        Path demo = Path.of("..", "content", "demo");

        OpsRun plan = OpsRun.of("content", "import", demo.toString(), "--dry-run", "--config", config.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("created course java-from-scratch \"Java from Scratch\" (4 lessons)")
                .contains("created article why-write-tests-first").endsWith("(dry run: nothing was changed)\n");
        assertThat(Http.get(base() + "/courses/java-from-scratch").statusCode()).isEqualTo(404);
        assertThat(Http.get(base() + "/").body()).as("now cached without the course")
                .doesNotContain("Java from Scratch");

        OpsRun applied = OpsRun.of("content", "import", demo.toString(), "--config", config.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("8 created, 0 changed, 0 renamed, 0 unpublished, 0 unchanged");

        assertThat(eventually(() -> Http.get(base() + "/").body().contains("Java from Scratch")))
                .as("the site dropped its cached front page when ops committed").isTrue();
        assertThat(Http.get(base() + "/courses/java-from-scratch/hello-world").body()).contains("<video");

        OpsRun again = OpsRun.of("content", "import", demo.toString(), "--json", "--config", config.toString());
        JsonNode json = new ObjectMapper().readTree(again.out());
        assertThat(json.get("applied").asBoolean()).isTrue();
        assertThat(json.get("changes")).isEmpty();
        assertThat(json.get("unchanged").asInt()).isEqualTo(8);
    }

    @Test
    void aBadFolderIsOneLineWithFileAndLineAndExitCode65() throws Exception {
        Path folder = ContentFolderBuilder.in(TestPostgres.newDirectory("bad"))
                .article("oops.md", "title: Oops\nslug: oops\ntags: {not: a list}\n", "x").root();

        OpsRun run = OpsRun.of("content", "import", folder.toString(), "--config", config().toString());

        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.err().lines()).containsExactly(
                "ops: articles/oops.md:4: 'tags' must be a list (nothing was imported)");
    }

    @Test
    void aBadCaptionFileIsNamedAtItsLine() throws Exception {
        Path folder = ContentFolderBuilder.in(TestPostgres.newDirectory("bad-captions")).video("media/clip.mp4")
                .raw("media/clip.en.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nFine.\n\n00:02.000 --> 2.5\nBad.\n")
                .course("intro", "Intro", "2026-01-01", "one")
                .lesson("intro", "one", "title: One\nslug: one\nvideo: ../../media/clip.mp4\ncaptions:\n"
                        + "  en: ../../media/clip.en.vtt\n", "Notes").root();

        OpsRun run = OpsRun.of("content", "import", folder.toString(), "--config", config().toString());

        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.err().lines()).containsExactly("ops: media/clip.en.vtt:6: bad timestamp '2.5': write"
                + " MM:SS.mmm or HH:MM:SS.mmm, such as 00:04.500 (nothing was imported)");
    }

    @Test
    void eventsShowsCountsPerDayAndTheTopLessons() throws Exception {
        OpsRun.of("content", "import", Path.of("..", "content", "demo").toString(), "--config", config().toString());
        long learner = dev.athanor.testing.Learners.create(DATABASE, "events@example.com");
        DATABASE.jdbi().useHandle(handle -> handle.execute("""
                INSERT INTO event (kind, occurred_at, learner_id, lesson_id)
                SELECT 'lesson_start', now(), ?, id FROM lesson WHERE slug = 'loops'""", learner));

        OpsRun text = OpsRun.of("events", "--days", "3", "--config", config().toString());
        OpsRun json = OpsRun.of("events", "--json", "--config", config().toString());

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("DAY", "VIEWS", "STARTS")
                .containsPattern("(?m)^\\s+1 starts\\s+0 completions\\s+Java from Scratch: Loops$");
        JsonNode parsed = new ObjectMapper().readTree(json.out());
        assertThat(parsed.get("days")).hasSize(15);
        assertThat(parsed.get("topLessons").get(0).get("lesson").asText()).isEqualTo("Java from Scratch: Loops");
    }

    private static Path config() throws Exception {
        String shipped = Files.readString(Path.of("..", "config.yml"));
        Path media = TestPostgres.newDirectory("ops-media");
        String config = shipped.replace("${DATABASE_URL:-embedded}", DATABASE.jdbcUrl())
                .replace("${DATABASE_USER:-}", DATABASE.user()).replace("${DATABASE_PASSWORD:-}", DATABASE.password())
                .replace("directory: ${ATHANOR_DATA_DIR:-./data}/media", "directory: " + media);
        Path file = TestPostgres.newDirectory("ops-config").resolve("config.yml");
        Files.writeString(file, config);
        return file;
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
