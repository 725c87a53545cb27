package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Search finds lessons and articles by their words, best first; the feed and sitemap list only what is public. */
class SearchAndFeedsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    /** About 6,000 characters of words that no test searches for. */
    private static final String FILLER = "Plain filler words keep this paragraph going on and on. ".repeat(110);

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeAll
    static void importContent() throws Exception {
        TestSite site = (TestSite) SITE.getApplication();
        ContentTables.empty(DATABASE, site);
        String future = LocalDate.now().plusYears(1).toString();
        site.content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .course("course", "Course", "2026-01-01", "closures", "streams", "secret")
                .lesson("course", "1", "title: Closures Explained\nslug: closures\n",
                        "A function that keeps its surroundings.")
                .lesson("course", "2", "title: Streams\nslug: streams\n",
                        "Streams are built on lambdas; a closure captures variables in a `List<String>`. <script>alert(1)</script>")
                .lesson("course", "3", "title: Secret Draft\nslug: secret\npublished: false\n",
                        "A closure in a draft lesson.")
                .course("draft-course", "Draft Course", null, "hidden")
                .lesson("draft-course", "1", "title: Hidden\nslug: hidden\n", "A closure nobody sees.")
                .article("post.md", "title: On Café Culture\nslug: cafe\ntags: [Essays]\npublished: 2026-03-01\n",
                        "Why the closure of a cafe matters.")
                .article("later.md", "title: Scheduled\nslug: scheduled\npublished: " + future + "\n",
                        "A closure announced for next year.")
                .article("draft.md", "title: Draft Post\nslug: draft-post\n", "Closure draft.")
                .article("long.md", "title: A Long Read\nslug: long-read\npublished: 2026-02-01\n",
                        FILLER + " The word we want is xylophones, far down. " + FILLER
                                + " A naïve reader finds it. " + FILLER)
                .root(), false);
    }

    @Test
    void findsALessonByAWordInItsNotes() {
        HttpResponse<String> results = Http.get(base() + "/search?q=surroundings");

        assertThat(results.statusCode()).isEqualTo(200);
        assertThat(results.body()).contains("href=\"/courses/course/closures\"")
                .contains("keeps its <mark>surroundings</mark>");
    }

    @Test
    void ranksATitleMatchFirstAndShowsOnlyPublishedItems() {
        List<String> found = links(Http.get(base() + "/search?q=closure").body());

        assertThat(found).first().isEqualTo("/courses/course/closures");
        assertThat(found).contains("/courses/course/streams", "/articles/cafe")
                .doesNotContain("/courses/course/secret", "/courses/draft-course/hidden", "/articles/scheduled",
                        "/articles/draft-post");
    }

    @Test
    void searchIgnoresAccentsAndNeverEchoesMarkupFromContent() {
        assertThat(links(Http.get(base() + "/search?q=cafe").body())).contains("/articles/cafe");
        String streams = Http.get(base() + "/search?q=lambdas").body();
        assertThat(streams).contains("/courses/course/streams").doesNotContain("<script>alert")
                .doesNotContain("<String>");
        assertThat(Http.get(base() + "/search?q=%3Cscript%3E").body()).doesNotContain("<script>");
    }

    @Test
    void aSnippetShowsAMatchFarIntoALongText() {
        assertThat(Http.get(base() + "/search?q=xylophone").body()).contains("href=\"/articles/long-read\"")
                .contains("The word we want is <mark>xylophones</mark>, far down.");
        // unaccented query, accented text: the window finder misses it, the snippet is still found in the whole text
        assertThat(Http.get(base() + "/search?q=naive").body()).contains("href=\"/articles/long-read\"")
                .contains("A <mark>naïve</mark> reader finds it.");
        // both words, 6,000 characters apart: the window around the first still highlights it
        assertThat(Http.get(base() + "/search?q=naive+xylophones").body()).contains("href=\"/articles/long-read\"")
                .contains("The word we want is <mark>xylophones</mark>, far down.");
    }

    @Test
    void theFeedIsValidAtomListingOnlyPublishedItems() throws Exception {
        HttpResponse<String> feed = Http.get(base() + "/feed.xml");

        assertThat(feed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/atom+xml"));
        Document atom = parse(feed.body());
        assertThat(atom.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
        List<String> ids = texts(atom.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "id"));
        assertThat(ids).contains("http://localhost:8080/courses/course/closures", "http://localhost:8080/articles/cafe")
                .noneMatch(id -> id.contains("secret") || id.contains("hidden") || id.contains("scheduled")
                        || id.contains("draft"));
    }

    @Test
    void theSitemapIsValidListingOnlyPublishedItems() throws Exception {
        Document sitemap = parse(Http.get(base() + "/sitemap.xml").body());

        List<String> locations = texts(sitemap.getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9",
                "loc"));
        assertThat(locations).contains("http://localhost:8080/", "http://localhost:8080/courses/course",
                "http://localhost:8080/courses/course/streams", "http://localhost:8080/articles/cafe")
                .noneMatch(url -> url.contains("secret") || url.contains("draft") || url.contains("scheduled")
                        || url.contains("hidden"));
        assertThat(Http.get(base() + "/robots.txt").body()).contains("Sitemap: http://localhost:8080/sitemap.xml");
    }

    @Test
    void pagesCarryCanonicalAndOpenGraphTags() {
        String lesson = Http.get(base() + "/courses/course/closures").body();

        assertThat(lesson).contains("<link rel=\"canonical\" href=\"http://localhost:8080/courses/course/closures\">")
                .contains("<meta property=\"og:title\" content=\"Closures Explained · Course\">")
                .contains("<meta name=\"description\" content=\"A function that keeps its surroundings.\">");
    }

    private static List<String> links(String html) {
        List<String> links = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("<h2><a href=\"([^\"]+)\">").matcher(html);
        while (matcher.find()) {
            links.add(matcher.group(1));
        }
        return links;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(NodeList nodes) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
