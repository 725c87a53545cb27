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
import dev.athanor.testing.WithinASecond;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The subscriber API and the private feed list each video's caption files, and send them to subscribers only. */
class CaptionsApiTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String PODCAST = "https://podcastindex.org/namespace/1.0";
    private static final String VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nHello from the API.\n";

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeAll
    static void content() throws Exception {
        ((TestSite) SITE.getApplication()).content().importFolder(ContentFolderBuilder.in(
                TestPostgres.newDirectory("content")).video("media/clip.mp4").raw("media/one.en.vtt", VTT)
                .raw("media/one.pt.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nOlá.\n")
                .course("alpha", "Alpha", "2026-01-01", "one", "two")
                .lesson("alpha", "1", "title: One\nslug: one\nvideo: ../../media/clip.mp4\ncaptions:\n"
                        + "  en: ../../media/one.en.vtt\n  pt-BR: ../../media/one.pt.vtt\n", "Notes.")
                .lesson("alpha", "2", "title: Two\nslug: two\nvideo: ../../media/clip.mp4\n", "Notes.")
                .root(), false);
    }

    @Test
    void theApiListsTheCaptionsAndSendsThemToSubscribers() throws Exception {
        ApiTokens tokens = new ApiTokens(Database.jdbi(DATABASE.dataSource()));
        long learner = Learners.create(DATABASE, "captions-api@example.com");
        Learners.entitle(DATABASE, learner, null);
        String token = tokens.create(learner, ApiTokens.Kind.API, "test").orElseThrow().token();

        JsonNode lesson = json(get("/courses/alpha/lessons/one", token));
        JsonNode captions = lesson.at("/video/captions");
        assertThat(captions).hasSize(2);
        assertThat(captions.get(0).get("language").asText()).isEqualTo("en");
        assertThat(captions.get(0).get("label").asText()).isEqualTo("English");
        assertThat(captions.get(0).get("url").asText())
                .isEqualTo("http://localhost:8080/api/v1/courses/alpha/lessons/one/captions/en");
        assertThat(captions.get(1).get("language").asText()).isEqualTo("pt-BR");
        assertThat(json(get("/courses/alpha/lessons/two", token)).at("/video/captions")).isEmpty();
        assertThat(json(get("/courses", token)).at("/data/0/lessons/0/video/captions/1/label").asText())
                .isEqualTo("Português (Brasil)");

        HttpResponse<String> file = get("/courses/alpha/lessons/one/captions/en", token);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(VTT);
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/vtt");
        assertThat(file.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"alpha-01-one.en.vtt\"");
        assertThat(get("/courses/alpha/lessons/one/captions/fr", token).statusCode()).isEqualTo(404);
        assertThat(Http.get(api("/courses/alpha/lessons/one/captions/en")).statusCode()).as("no token")
                .isEqualTo(401);
    }

    @Test
    void theFeedNamesEachCaptionFileAsATranscript() throws Exception {
        ApiTokens tokens = new ApiTokens(Database.jdbi(DATABASE.dataSource()));
        long learner = Learners.create(DATABASE, "captions-feed@example.com");
        Learners.entitle(DATABASE, learner, null);
        String feed = tokens.create(learner, ApiTokens.Kind.FEED, "feed").orElseThrow().token();

        HttpResponse<String> rss = Http.get(base() + "/feeds/" + feed + "/lessons.rss");
        assertThat(rss.statusCode()).isEqualTo(200);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList transcripts = factory.newDocumentBuilder().parse(new ByteArrayInputStream(rss.body()
                .getBytes(StandardCharsets.UTF_8))).getElementsByTagNameNS(PODCAST, "transcript");
        assertThat(transcripts.getLength()).as("two files of one lesson; none for the other").isEqualTo(2);
        Element english = (Element) transcripts.item(0);
        assertThat(english.getAttribute("type")).isEqualTo("text/vtt");
        assertThat(english.getAttribute("language")).isEqualTo("en");
        assertThat(english.getAttribute("rel")).isEqualTo("captions");
        String url = english.getAttribute("url");
        assertThat(url).isEqualTo("http://localhost:8080/feeds/" + feed + "/alpha/one.en.vtt");

        HttpResponse<String> file = Http.get(base() + url.substring("http://localhost:8080".length()));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(VTT);
        assertThat(Http.get(base() + "/feeds/" + feed + "/alpha/one.fr.vtt").statusCode()).isEqualTo(404);
        DATABASE.execute("UPDATE entitlement SET ends_at = now() WHERE learner_id = ?", learner);
        WithinASecond.until("refused once the subscription lapses",
                () -> Http.get(base() + "/feeds/" + feed + "/alpha/one.en.vtt").statusCode() == 403);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static HttpResponse<String> get(String path, String token) {
        return Http.get(api(path), "Authorization", "Bearer " + token);
    }

    private static String api(String path) {
        return base() + "/api/v1" + path;
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
