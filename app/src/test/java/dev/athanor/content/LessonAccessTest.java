package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may watch what, and how: free previews for everyone, subscriber lessons for entitled learners only, videos in
 * byte ranges for seeking and resuming, and progress kept on the server.
 */
class LessonAccessTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String HEADER = TestSite.LEARNER_HEADER;
    private static final String TOKEN = "t".repeat(43);

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    private byte[] video;

    @BeforeEach
    void importACourse() throws Exception {
        site().events().flush();
        ContentTables.empty(DATABASE, site());
        video = Files.readAllBytes(ContentFolderBuilder.DEMO_VIDEO);
        site().content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .video("media/clip.mp4")
                .course("course", "Course", "2026-01-01", "free-one", "paid-one")
                .lesson("course", "1", "title: Free One\nslug: free-one\nvideo: ../../media/clip.mp4\nfree: true\n",
                        "Free notes.")
                .lesson("course", "2", "title: Paid One\nslug: paid-one\nvideo: ../../media/clip.mp4\n",
                        "Paid notes.")
                .root(), false);
    }

    @Test
    void rangeRequestsReturnExactlyTheBytesAskedFor() {
        String url = base() + "/courses/course/free-one/video";

        HttpResponse<byte[]> middle = Http.getBytes(url, "Range", "bytes=1000-1999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + video.length);
        assertThat(middle.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(middle.headers().firstValue("Content-Type")).contains("video/mp4");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(video, 1000, 2000));

        HttpResponse<byte[]> tail = Http.getBytes(url, "Range", "bytes=-500");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(video, video.length - 500, video.length));

        HttpResponse<byte[]> whole = Http.getBytes(url);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(video);

        HttpResponse<byte[]> beyond = Http.getBytes(url, "Range", "bytes=" + video.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + video.length);
    }

    @Test
    void ifRangeResumesTheSameFileAndRestartsAChangedOne() {
        String url = base() + "/courses/course/free-one/video";
        String etag = Http.getBytes(url, "Range", "bytes=0-9").headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> resumed = Http.getBytes(url, "Range", "bytes=100000-", "If-Range", etag);
        assertThat(resumed.statusCode()).isEqualTo(206);
        assertThat(resumed.body()).isEqualTo(Arrays.copyOfRange(video, 100000, video.length));

        HttpResponse<byte[]> changed = Http.getBytes(url, "Range", "bytes=100000-", "If-Range", "\"not-it\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(video);
    }

    @Test
    void aSubscribersOnlyVideoIsRefusedToAnonymousAndUnentitledViewers() {
        String url = base() + "/courses/course/paid-one/video";
        long unentitled = Learners.create(DATABASE, "nobody@example.com");
        long lapsed = Learners.create(DATABASE, "lapsed@example.com");
        Learners.entitle(DATABASE, lapsed, Instant.now().minusSeconds(3600));
        long subscriber = Learners.create(DATABASE, "subscriber@example.com");
        Learners.entitle(DATABASE, subscriber, null);

        assertThat(Http.getBytes(url).statusCode()).isEqualTo(403);
        assertThat(Http.getBytes(url, "Range", "bytes=0-99").statusCode()).isEqualTo(403);
        assertThat(Http.getBytes(url, HEADER, Long.toString(unentitled)).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> allowed = Http.getBytes(url, HEADER, Long.toString(subscriber), "Range", "bytes=0-99");
        assertThat(allowed.statusCode()).isEqualTo(206);
        assertThat(allowed.body()).isEqualTo(Arrays.copyOf(video, 100));

        assertThat(page("/courses/course/paid-one").body()).contains("This lesson is for subscribers")
                .doesNotContain("<video");
        assertThat(page("/courses/course/paid-one", HEADER, Long.toString(subscriber)).body()).contains("<video")
                .doesNotContain("This lesson is for subscribers");
        assertThat(page("/courses/course/free-one").body()).contains("<video");
    }

    @Test
    void signedInPagesAreNeverServedFromTheSharedCache() {
        long subscriber = Learners.create(DATABASE, "cache@example.com");
        Learners.entitle(DATABASE, subscriber, null);
        String anonymous = page("/courses/course/paid-one").body();

        HttpResponse<String> signedIn = page("/courses/course/paid-one", HEADER, Long.toString(subscriber));

        assertThat(signedIn.body()).isNotEqualTo(anonymous).contains("<video");
        assertThat(signedIn.headers().firstValue("Cache-Control")).hasValueSatisfying(
                value -> assertThat(value).startsWith("private"));
        assertThat(page("/courses/course/paid-one").body()).as("and signed-in pages never fill it")
                .isEqualTo(anonymous);
    }

    @Test
    void progressIsKeptOnTheServerAndCompletesAtNinetyPercent() {
        long learner = Learners.create(DATABASE, "progress@example.com");
        Learners.entitle(DATABASE, learner, null);
        String id = Long.toString(learner);

        assertThat(report("/courses/course/free-one/progress", id, 6).statusCode()).isEqualTo(204);
        HttpResponse<String> course = page("/courses/course", HEADER, id);
        assertThat(course.body()).contains("value=\"50\"")
                .contains("Continue where you left off: Free One");
        assertThat(page("/courses/course/free-one", HEADER, id).body()).contains("data-resume-at=\"6\"");

        assertThat(report("/courses/course/free-one/progress", id, 11).statusCode()).isEqualTo(204);
        assertThat(page("/courses/course", HEADER, id).body()).contains("aria-label=\"completed\"")
                .contains("Continue where you left off: Paid One");

        HttpResponse<String> marked = Http.send(HttpRequest.newBuilder(URI.create(base()
                + "/courses/course/paid-one/complete")).header("Cookie", "csrf=" + TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + TOKEN)), HEADER, id);
        assertThat(marked.statusCode()).isEqualTo(303);
        assertThat(marked.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/courses/course/paid-one"));
        assertThat(page("/courses/course", HEADER, id).body()).doesNotContain("Continue where you left off");

        site().events().flush();
        assertThat(DATABASE.list("SELECT kind || ':' || lesson_id FROM event WHERE learner_id = " + learner
                + " ORDER BY id", String.class))
                .containsExactly("lesson_start:1", "lesson_complete:1", "lesson_start:2", "lesson_complete:2");
    }

    @Test
    void progressNeedsASignedInLearnerAndThisSite() {
        long learner = Learners.create(DATABASE, "csrf@example.com");

        assertThat(Http.send(json("/courses/course/free-one/progress", 5)).statusCode()).isEqualTo(401);
        assertThat(Http.send(json("/courses/course/free-one/progress", 5), HEADER, Long.toString(learner),
                "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(Http.send(json("/courses/course/free-one/progress", 5), HEADER, Long.toString(learner),
                "Origin", base()).statusCode()).isEqualTo(204);
        HttpRequest.Builder withoutToken = HttpRequest.newBuilder(URI.create(base()
                + "/courses/course/free-one/progress")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"position\":5}"));
        assertThat(Http.send(withoutToken, HEADER, Long.toString(learner)).statusCode()).isEqualTo(403);
        assertThat(Http.send(json("/courses/course/no-such/progress", 5), HEADER, Long.toString(learner))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void progressAndCompletionNeedAccessToTheLesson() {
        long learner = Learners.create(DATABASE, "no-subscription@example.com");
        String id = Long.toString(learner);

        assertThat(report("/courses/course/paid-one/progress", id, 11).statusCode()).isEqualTo(403);
        HttpResponse<String> marked = Http.send(withToken(HttpRequest.newBuilder(URI.create(base()
                + "/courses/course/paid-one/complete")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + TOKEN))), HEADER, id);
        assertThat(marked.statusCode()).isEqualTo(403);
        assertThat(report("/courses/course/free-one/progress", id, 6).statusCode())
                .as("a free preview is everyone's").isEqualTo(204);

        site().events().flush();
        assertThat(DATABASE.list("SELECT lesson_id FROM lesson_progress WHERE learner_id = " + learner, Long.class))
                .as("progress only for the lesson the learner may watch").containsExactly(1L);
        assertThat(DATABASE.list("SELECT kind || ':' || lesson_id FROM event WHERE learner_id = " + learner
                + " ORDER BY id", String.class)).containsExactly("lesson_start:1");
    }

    @Test
    void pageViewsAndVideoDeliveriesAreRecordedCachedOrNot() {
        for (int i = 0; i < 3; i++) {
            page("/courses/course");
        }
        Http.getBytes(base() + "/courses/course/free-one/video", "Range", "bytes=0-999");

        site().awaitEvents(() -> assertThat(DATABASE.list("SELECT bytes FROM event WHERE kind = 'video_delivery'",
                Long.class)).containsExactly(1000L));
        assertThat(DATABASE.one("SELECT views FROM page_view_daily WHERE path = '/courses/course'", Long.class))
                .isEqualTo(3);
    }

    private HttpResponse<String> report(String path, String learner, int position) {
        return Http.send(json(path, position), HEADER, learner);
    }

    /** A progress report as the player sends it: with the page's form token in a header, and its cookie. */
    private static HttpRequest.Builder json(String path, int position) {
        return withToken(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"position\":" + position + "}")));
    }

    private static HttpRequest.Builder withToken(HttpRequest.Builder request) {
        return request.header("Cookie", "csrf=" + TOKEN).header("X-CSRF-Token", TOKEN);
    }

    private static HttpResponse<String> page(String path, String... headers) {
        return Http.get(base() + path, headers);
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
