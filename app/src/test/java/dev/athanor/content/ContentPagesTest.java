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
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pages that list content (catalogue, articles, tags) list exactly what is published; lessons link in order. */
class ContentPagesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final Pattern CARD_LINK = Pattern.compile("<h[23]><a href=\"([^\"]+)\">");

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeAll
    static void importContent() throws Exception {
        TestSite site = (TestSite) SITE.getApplication();
        ContentTables.empty(DATABASE, site);
        site.content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .course("java", "Java Basics", "2026-01-01", "start", "hidden", "middle", "end")
                .lesson("java", "1", "title: Start Here\nslug: start\n", "One.")
                .lesson("java", "2", "title: Not Yet\nslug: hidden\npublished: false\n", "Draft.")
                .lesson("java", "3", "title: The Middle\nslug: middle\n", "Two.")
                .lesson("java", "4", "title: The End\nslug: end\n", "Three.")
                .course("sql", "SQL Basics", "2026-02-01", "select")
                .lesson("sql", "1", "title: Select\nslug: select\n", "Rows.")
                .course("soon", "Coming Soon", "2026-03-01", "later")
                .lesson("soon", "1", "title: Later\nslug: later\npublished: false\n", "Not yet.")
                .course("unfinished", "Unfinished Course", null, "wip")
                .lesson("unfinished", "1", "title: Work in Progress\nslug: wip\n", "Soon.")
                .article("a.md", "title: Java Tips\nslug: java-tips\ntags: [Java, Tips]\npublished: 2026-03-01\n",
                        "Tips.")
                .article("b.md", "title: Java News\nslug: java-news\ntags: [Java]\npublished: 2026-04-01\n",
                        "News.")
                .article("c.md", "title: General Tips\nslug: general-tips\ntags: [Tips]\npublished: 2026-02-01\n",
                        "More tips.")
                .article("d.md", "title: Java Draft\nslug: java-draft\ntags: [Java]\n", "Not yet.")
                .root(), false);
    }

    @Test
    void theCatalogueListsPublishedCoursesAndNoDrafts() {
        HttpResponse<String> catalogue = get("/courses");
        assertThat(catalogue.statusCode()).isEqualTo(200);
        assertThat(cardLinks(catalogue.body())).containsExactlyInAnyOrder("/courses/java", "/courses/sql",
                "/courses/soon");
        assertThat(catalogue.body()).contains("Java Basics", "SQL Basics").doesNotContain("Unfinished");
        assertThat(catalogue.body()).as("the draft lesson is not counted").contains("3 lessons");
        assertThat(get("/courses/unfinished").statusCode()).isEqualTo(404);
    }

    @Test
    void aTagPageListsExactlyThePublishedArticlesWithThatTag() {
        HttpResponse<String> java = get("/tags/java");
        assertThat(java.statusCode()).isEqualTo(200);
        assertThat(java.body()).contains("<h1>Tagged “Java”</h1>");
        assertThat(cardLinks(java.body())).containsExactlyInAnyOrder("/articles/java-news", "/articles/java-tips");
        assertThat(cardLinks(get("/tags/tips").body()))
                .containsExactlyInAnyOrder("/articles/java-tips", "/articles/general-tips");
        assertThat(get("/tags/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void theArticleListShowsPublishedArticlesNewestFirstWithTheirTags() {
        HttpResponse<String> list = get("/articles");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(cardLinks(list.body()))
                .containsExactly("/articles/java-news", "/articles/java-tips", "/articles/general-tips");
        assertThat(list.body()).contains("<time datetime=\"2026-04-01\"",
                "<a class=\"tag\" href=\"/tags/java\">Java</a>", "<a class=\"tag\" href=\"/tags/tips\">Tips</a>")
                .doesNotContain("Java Draft");
    }

    @Test
    void aLessonLinksToThePublishedLessonsBeforeAndAfterIt() {
        assertThat(pager("/courses/java/start")).containsExactly("next /courses/java/middle The Middle");
        assertThat(pager("/courses/java/middle")).as("the draft lesson between them is skipped")
                .containsExactly("prev /courses/java/start Start Here", "next /courses/java/end The End");
        assertThat(pager("/courses/java/end")).containsExactly("prev /courses/java/middle The Middle");
        assertThat(pager("/courses/sql/select")).isEmpty();
        assertThat(get("/courses/java/hidden").statusCode()).isEqualTo(404);
    }

    @Test
    void aCourseWhoseLessonsAreAllDraftsShowsNoneAndALessonPageOnlyItsOwnNotes() {
        HttpResponse<String> soon = get("/courses/soon");
        assertThat(soon.statusCode()).isEqualTo(200);
        assertThat(soon.body()).contains("Coming Soon").doesNotContain("/courses/soon/later");
        assertThat(get("/courses/soon/later").statusCode()).isEqualTo(404);
        assertThat(get("/courses/java/middle").body()).contains("<p>Two.</p>")
                .doesNotContain("<p>One.</p>", "<p>Three.</p>", "<p>Draft.</p>");
    }

    private static List<String> pager(String path) {
        HttpResponse<String> page = get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher links = Pattern.compile("<a rel=\"(prev|next)\" href=\"([^\"]+)\">(?:← )?([^<→]+?)(?: →)?</a>")
                .matcher(page.body());
        List<String> found = new ArrayList<>();
        while (links.find()) {
            found.add(links.group(1) + " " + links.group(2) + " " + links.group(3));
        }
        return found;
    }

    private static List<String> cardLinks(String page) {
        Matcher links = CARD_LINK.matcher(page);
        List<String> found = new ArrayList<>();
        while (links.find()) {
            found.add(links.group(1));
        }
        return found;
    }

    private static HttpResponse<String> get(String path) {
        return Http.get("http://127.0.0.1:" + SITE.getLocalPort() + path);
    }
}
