package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.Learners;
import dev.athanor.testing.Operators;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Captions on the site: the player's tracks and the transcript, the caption files behind the video's own access
 * check, search that finds what was said and links to the moment (the words of a subscriber lesson only for those who
 * may watch it), and an import with a bad caption file that changes nothing.
 */
class CaptionsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String HEADER = TestSite.LEARNER_HEADER;
    static final String FREE_VTT = """
            WEBVTT

            00:00.000 --> 00:03.000
            Welcome to the course.

            00:03.000 --> 00:06.500
            Here we install the <b>toolchain</b> &amp; more.
            """;
    static final String PAID_VTT = """
            WEBVTT

            00:00.000 --> 00:02.000
            Today: loops.

            00:02.000 --> 00:04.000
            Java has a while loop.

            00:04.250 --> 00:08.000
            Gradle builds the loop example for you.
            """;

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    private Path folder;

    @BeforeEach
    void importACourseWithCaptions() throws Exception {
        site().events().flush();
        ContentTables.empty(DATABASE, site());
        folder = content(PAID_VTT).root();
        site().content().importFolder(folder, false);
    }

    @Test
    void theLessonPageOffersTheTracksAndTheTranscriptToThoseWhoMayWatch() {
        String free = Http.get(base() + "/courses/course/free-one").body();
        assertThat(free).contains("<track kind=\"captions\" src=\"/courses/course/free-one/captions/en.vtt\""
                + " srclang=\"en\" label=\"English\">")
                .contains("<track kind=\"captions\" src=\"/courses/course/free-one/captions/de.vtt\" srclang=\"de\""
                        + " label=\"Deutsch (Untertitel)\">")
                .contains("<details class=\"transcript\" lang=\"en\">", "<summary>Transcript: English</summary>")
                .contains("<a href=\"/courses/course/free-one/video#t=3\" data-seek=\"3\">0:03</a> Here we install the"
                        + " toolchain &amp; more.");

        String locked = Http.get(base() + "/courses/course/paid-one").body();
        assertThat(locked).contains("This lesson is for subscribers").doesNotContain("<track", "transcript",
                "while loop");
        long subscriber = subscriber("watcher@example.com");
        assertThat(Http.get(base() + "/courses/course/paid-one", HEADER, Long.toString(subscriber)).body())
                .contains("srclang=\"en\"", "<summary>Transcript</summary>",
                        "href=\"/courses/course/paid-one/video#t=4.25\" data-seek=\"4.25\">0:04</a> Gradle builds");
        assertThat(Http.get(base() + "/courses/course/no-captions").body()).contains("<video")
                .doesNotContain("<track", "Transcript");
    }

    @Test
    void captionFilesHaveTheVideosAccessCheck() {
        HttpResponse<String> free = Http.get(base() + "/courses/course/free-one/captions/en.vtt");
        assertThat(free.statusCode()).isEqualTo(200);
        assertThat(free.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type.replace(" ", "").toLowerCase()).isEqualTo("text/vtt;charset=utf-8"));
        assertThat(free.body()).isEqualTo(FREE_VTT);
        String etag = free.headers().firstValue("ETag").orElseThrow();
        assertThat(Http.get(base() + "/courses/course/free-one/captions/en.vtt", "If-None-Match", etag)
                .statusCode()).isEqualTo(304);

        String paid = base() + "/courses/course/paid-one/captions/en.vtt";
        long unentitled = Learners.create(DATABASE, "nobody@example.com");
        long subscriber = subscriber("subscriber@example.com");
        assertThat(Http.get(paid).statusCode()).as("anonymous, as the video answers").isEqualTo(403);
        assertThat(Http.get(base() + "/courses/course/paid-one/video").statusCode()).isEqualTo(403);
        assertThat(Http.get(paid, HEADER, Long.toString(unentitled)).statusCode()).isEqualTo(403);
        HttpResponse<String> allowed = Http.get(paid, HEADER, Long.toString(subscriber));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo(PAID_VTT);
        assertThat(allowed.headers().firstValue("Cache-Control")).hasValueSatisfying(value ->
                assertThat(value).startsWith("private"));

        assertThat(Http.get(base() + "/courses/course/free-one/captions/fr.vtt").statusCode()).isEqualTo(404);
        assertThat(Http.get(base() + "/courses/course/nope/captions/en.vtt").statusCode()).isEqualTo(404);
    }

    @Test
    void searchFindsWhatWasSaidBelowTitlesAndNotesAndLinksToTheMoment() {
        String page = search("gradle", null);
        assertThat(page.indexOf("Gradle in the title")).as("title first").isPositive()
                .isLessThan(page.indexOf("Notes about builds"));
        assertThat(page.indexOf("Notes about builds")).as("then notes").isLessThan(page.indexOf("Paid One"));
        assertThat(page).contains("href=\"/courses/course/paid-one#t=4.25\"");

        assertThat(search("toolchain", null)).as("a free lesson's words are for everyone")
                .contains("href=\"/courses/course/free-one#t=3\">Said at 0:03</a>: “Here we install the"
                        + " <mark>toolchain</mark> &amp; more.”");
    }

    @Test
    void theWordsOfASubscriberLessonAreShownOnlyToThoseWhoMayWatchIt() {
        String anonymous = search("java loop", null);
        assertThat(anonymous).as("the cue that says both words, not the first that says one")
                .contains("href=\"/courses/course/paid-one#t=2\">Said at 0:02</a> in the video"
                        + " (subscribers see the words)").doesNotContain("has a while");
        long unentitled = Learners.create(DATABASE, "curious@example.com");
        assertThat(search("java loop", unentitled)).contains("subscribers see the words")
                .doesNotContain("has a while");

        long subscriber = subscriber("reader@example.com");
        assertThat(search("java loop", subscriber)).contains("Said at 0:02</a>: “<mark>Java</mark> has a while"
                + " <mark>loop</mark>.”");
        assertThat(search("java loop", null)).as("the kept results are not the subscriber's")
                .doesNotContain("has a while");
    }

    @Test
    void anImportWithABadCaptionFileChangesNothing() throws Exception {
        ContentFolderBuilder broken = content("WEBVTT\n\n00:00.000 --> 00:02.000\nChanged.\n\n00:02,000 --> 00:03.000"
                + "\nSubRip commas.\n");

        assertThatThrownBy(() -> site().content().importFolder(broken.root(), false))
                .isInstanceOf(ContentImportException.class)
                .hasMessage("media/paid.vtt:6: bad timestamp '00:02,000': write MM:SS.mmm or HH:MM:SS.mmm, such as"
                        + " 00:04.500");
        long subscriber = subscriber("still@example.com");
        assertThat(Http.get(base() + "/courses/course/paid-one/captions/en.vtt", HEADER, Long.toString(subscriber))
                .body()).isEqualTo(PAID_VTT);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM caption_cue WHERE text = 'Changed.'")).isZero();
    }

    @Test
    void theOperatorSeesTheLessonsWithoutCaptions() {
        assertThat(site().content().uncaptionedLessons()).containsExactly("course/no-captions");
        assertThat(Content.uncaptionedLessons(DATABASE.jdbi())).containsExactly("course/no-captions");
        assertThat(site().accounts().createOperator("captions-operator@example.com", "an operator's passphrase"))
                .isEmpty();
        Browser operator = Browser.at(base());
        Operators.signIn(operator, DATABASE, "captions-operator@example.com", "an operator's passphrase");
        assertThat(operator.get("/admin").body()).contains("1 lesson(s) with a video have no captions")
                .contains("<li><code>course/no-captions</code></li>").doesNotContain("<code>course/free-one</code></li>");
    }

    /**
     * A course of four lessons: a free one captioned in English and German, a subscriber one whose captions (given)
     * say "while loop" and "Gradle", one with "Gradle" in its title and one with it in its notes, and one without
     * captions.
     */
    static ContentFolderBuilder content(String paidVtt) {
        return ContentFolderBuilder.in(TestPostgres.newDirectory("content")).video("media/clip.mp4")
                .raw("media/free.en.vtt", FREE_VTT)
                .raw("media/free.de.vtt", "WEBVTT\n\n00:00.000 --> 00:03.000\nWillkommen.\n")
                .raw("media/paid.vtt", paidVtt)
                .course("course", "Course", "2026-01-01", "free-one", "paid-one", "gradle-title", "gradle-notes",
                        "no-captions")
                .lesson("course", "1", "title: Free One\nslug: free-one\nvideo: ../../media/clip.mp4\nfree: true\n"
                        + "captions:\n  en: ../../media/free.en.vtt\n  de:\n    file: ../../media/free.de.vtt\n"
                        + "    label: Deutsch (Untertitel)\n", "Free notes.")
                .lesson("course", "2", "title: Paid One\nslug: paid-one\nvideo: ../../media/clip.mp4\n"
                        + "captions:\n  en: ../../media/paid.vtt\n", "Paid notes.")
                .lesson("course", "3", "title: Gradle in the title\nslug: gradle-title\n", "Something else.")
                .lesson("course", "4", "title: Notes about builds\nslug: gradle-notes\n", "We use Gradle here.")
                .lesson("course", "5", "title: No Captions\nslug: no-captions\nvideo: ../../media/clip.mp4\n"
                        + "free: true\n", "Silent notes.");
    }

    private static long subscriber(String email) {
        long learner = Learners.create(DATABASE, email);
        Learners.entitle(DATABASE, learner, null);
        return learner;
    }

    private static String search(String query, Long learner) {
        String url = base() + "/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        HttpResponse<String> page = learner == null ? Http.get(url) : Http.get(url, HEADER, learner.toString());
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
