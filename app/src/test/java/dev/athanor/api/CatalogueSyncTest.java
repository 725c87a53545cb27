package dev.athanor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.db.Database;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.Http;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a sync script learns from {@code /api/v1/courses?since=...} when content goes away, over real HTTP against
 * the real site and PostgreSQL, the changes made by real imports and by the operator's unpublish: a course that lost
 * a lesson is listed again without it, a course taken down (missing from the folder, made a draft, or unpublished by
 * hand) is listed under {@code removed}, and the {@code next} link keeps {@code since} intact.
 */
class CatalogueSyncTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ContentFolderBuilder folder;
    private static String token;

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeAll
    static void content() throws Exception {
        folder = ContentFolderBuilder.in(TestPostgres.newDirectory("sync-content"))
                .course("alpha", "Alpha", "2026-01-01", "one", "two", "three");
        for (String lesson : List.of("one", "two", "three")) {
            folder.lesson("alpha", lesson, "title: Lesson " + lesson + "\nslug: " + lesson + "\n", "Notes.");
        }
        for (String course : List.of("beta", "gamma", "delta")) {
            folder.course(course, "Course " + course, "2026-01-01", "one")
                    .lesson(course, "one", "title: One\nslug: one\n", "Notes.");
        }
        importFolder();
        long learner = Learners.create(DATABASE, "sync@example.com");
        Learners.entitle(DATABASE, learner, null);
        token = new ApiTokens(Database.jdbi(DATABASE.dataSource())).create(learner, ApiTokens.Kind.API, "sync")
                .orElseThrow().token();
    }

    @Test
    void anImportThatDropsOrUnpublishesLessonsListsTheirCourseWithoutThem() throws Exception {
        Instant before = pause();
        folder.course("alpha", "Alpha", "2026-01-01", "one", "three").delete("courses/alpha/two.md")
                .lesson("alpha", "three", "title: Lesson three\nslug: three\npublished: false\n", "Notes.");
        importFolder();

        JsonNode changed = courses("since=" + encoded(before.toString()));
        assertThat(changed.get("data")).extracting(course -> course.get("slug").asText()).containsExactly("alpha");
        assertThat(changed.get("data").get(0).get("lessons")).extracting(lesson -> lesson.get("slug").asText())
                .containsExactly("one");
        assertThat(Instant.parse(changed.get("data").get(0).get("changed_at").asText())).isAfter(before);
        assertThat(changed.get("removed")).isEmpty();
    }

    @Test
    void aCourseTakenDownByAnImportOrByHandIsListedAsRemoved() throws Exception {
        Instant before = pause();
        deleteCourse("beta");
        folder.course("delta", "Course delta", null, "one");
        importFolder();
        site().content().setPublished("course", "gamma", false);

        JsonNode changed = courses("since=" + encoded(before.toString()));
        assertThat(changed.get("data")).isEmpty();
        assertThat(changed.get("removed")).extracting(removed -> removed.get("slug").asText())
                .containsExactly("beta", "delta", "gamma");
        for (JsonNode removed : changed.get("removed")) {
            assertThat(Instant.parse(removed.get("removed_at").asText())).isAfter(before);
        }
        assertThat(courses("").has("removed")).as("only an answer to since lists removals").isFalse();

        site().content().setPublished("course", "gamma", true);
        JsonNode back = courses("since=" + encoded(before.toString()));
        assertThat(back.get("data")).extracting(course -> course.get("slug").asText()).containsExactly("gamma");
        assertThat(back.get("removed")).extracting(removed -> removed.get("slug").asText())
                .containsExactly("beta", "delta");
    }

    @Test
    void theNextLinkKeepsAnOffsetInSince() throws Exception {
        String since = "2025-12-31T10:00:00+01:00";
        JsonNode first = courses("per_page=1&since=" + encoded(since));
        assertThat(first.get("total").asInt()).isGreaterThan(1);
        String next = first.get("next").asText();
        assertThat(next).endsWith("&since=" + encoded(since)).contains("%2B01%3A00");

        JsonNode second = JSON.readTree(get(next.substring(next.indexOf("/api/v1") + 7)).body());
        assertThat(second.get("page").asInt()).isEqualTo(2);
        assertThat(second.get("total").asInt()).isEqualTo(first.get("total").asInt());
        assertThat(second.get("data")).hasSize(1);
        assertThat(second.get("data").get(0).get("slug").asText())
                .isNotEqualTo(first.get("data").get(0).get("slug").asText());

        JsonNode unencoded = courses("per_page=1&since=" + since);
        assertThat(unencoded.get("total").asInt()).as("a '+' sent as it is reads as a space, and is put back")
                .isEqualTo(first.get("total").asInt());
        assertThat(unencoded.get("next").asText()).isEqualTo(next);
    }

    // ---- helpers

    private static Instant pause() throws InterruptedException {
        Instant now = Instant.now();
        Thread.sleep(20);
        return now;
    }

    private static void importFolder() throws Exception {
        site().content().importFolder(folder.root(), false);
    }

    private static void deleteCourse(String slug) {
        try (var paths = Files.walk(folder.root().resolve("courses").resolve(slug))) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode courses(String query) throws Exception {
        HttpResponse<String> answer = get("/courses?" + query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static HttpResponse<String> get(String path) {
        return Http.get("http://127.0.0.1:" + SITE.getLocalPort() + "/api/v1" + path, "Authorization",
                "Bearer " + token);
    }
}
