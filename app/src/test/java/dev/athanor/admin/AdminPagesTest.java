package dev.athanor.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.Operators;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator pages: for operator accounts only, forms with their token, imports all or nothing. */
class AdminPagesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String OPERATOR = "operator@example.com";
    private static final String PASSWORD = "correct horse battery staple";

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    private Browser operator;

    @BeforeEach
    void importContentAndSignIn() throws Exception {
        ContentTables.empty(DATABASE, site());
        site().content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .article("a.md", "title: Alpha\nslug: alpha\npublished: 2026-01-01\n", "Alpha body.").root(), false);
        assertThat(site().accounts().createOperator(OPERATOR, PASSWORD)).isEmpty();
        operator = Browser.at(base());
        Operators.signIn(operator, DATABASE, OPERATOR, PASSWORD);
    }

    @Test
    void onlyTheOperatorGetsIn() {
        assertThat(Http.get(base() + "/admin").statusCode()).as("nothing there for strangers").isEqualTo(404);

        Browser learner = Browser.at(base());
        assertThat(learner.post("/signup", "email", "learner@example.com", "password", "a learner's passphrase")
                .statusCode()).isEqualTo(200);
        DATABASE.execute("UPDATE learner SET email_verified_at = now() WHERE email = 'learner@example.com'");
        assertThat(learner.post("/login", "email", "learner@example.com", "password", "a learner's passphrase")
                .statusCode()).isEqualTo(303);
        assertThat(learner.get("/admin").statusCode()).as("a learner is told nothing is there").isEqualTo(404);
        assertThat(learner.get("/account").body()).doesNotContain("href=\"/admin\"");

        HttpResponse<String> page = operator.get("/admin");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<td>Alpha</td>", "<code>alpha</code>", "<td>published</td>",
                "href=\"/admin\"");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(operator.get("/admin/activity").statusCode()).isEqualTo(200);
    }

    @Test
    void everythingUnderAdminIsNotFoundForAnyoneButTheOperator() {
        Browser learner = Browser.at(base());
        assertThat(learner.post("/signup", "email", "member@example.com", "password", "a member's passphrase")
                .statusCode()).isEqualTo(200);
        assertThat(learner.post("/login", "email", "member@example.com", "password", "a member's passphrase")
                .statusCode()).isEqualTo(303);
        String notFound = Http.get(base() + "/no/such/page").body();
        for (Browser stranger : List.of(Browser.at(base()), learner)) {
            for (String path : List.of("/admin", "/admin/", "/admin/content", "/admin/activity", "/admin/members",
                    "/admin/nope", "/admin;x=1")) {
                HttpResponse<String> page = stranger.get(path);
                assertThat(page.statusCode()).as(path).isEqualTo(404);
                assertThat(page.body()).as(path).isEqualTo(notFound);
            }
            for (String path : List.of("/admin/content/reimport", "/admin/content/article/alpha/unpublish",
                    "/admin/members/grant", "/admin/content/upload", "/admin", "/admin/nope")) {
                assertThat(stranger.post(path).statusCode()).as("form to " + path).isEqualTo(404);
                assertThat(stranger.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")))
                        .statusCode()).as("JSON to " + path).isEqualTo(404);
                assertThat(stranger.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).as("PUT " + path)
                        .isEqualTo(404);
            }
        }
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).as("nothing was unpublished").isEqualTo(200);
        assertThat(operator.send(HttpRequest.newBuilder(URI.create(base() + "/admin/content/reimport"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")))
                .statusCode()).as("the operator is told the truth").isEqualTo(415);
    }

    @Test
    void unpublishingByHandTakesThePageDownAtOnce() {
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).isEqualTo(200);

        HttpResponse<String> unpublished = operator.post("/admin/content/article/alpha/unpublish");
        assertThat(unpublished.statusCode()).isEqualTo(303);
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).isEqualTo(404);

        assertThat(operator.post("/admin/content/article/alpha/publish").statusCode()).isEqualTo(303);
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).isEqualTo(200);
        assertThat(operator.post("/admin/content/article/nope/publish").statusCode()).isEqualTo(404);
    }

    @Test
    void aLessonIsUnpublishedAndPublishedByHand() throws Exception {
        site().content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("course"))
                .video("media/clip.mp4")
                .course("intro", "Introduction", "2026-01-01", "first", "second")
                .lesson("intro", "01-first", "title: First Steps\nslug: first\nvideo: ../../media/clip.mp4\n", "One.")
                .lesson("intro", "02-second", "title: Second Steps\nslug: second\nvideo: ../../media/clip.mp4\n",
                        "Two.")
                .root(), false);
        assertThat(Http.get(base() + "/courses/intro").body()).contains("Second Steps");
        assertThat(operator.get("/admin").body())
                .contains("action=\"/admin/content/lesson/intro/second/unpublish\"");

        assertThat(operator.post("/admin/content/lesson/intro/second/unpublish").statusCode()).isEqualTo(303);
        assertThat(Http.get(base() + "/courses/intro/second").statusCode()).isEqualTo(404);
        assertThat(Http.get(base() + "/courses/intro").body()).as("the cached course page was dropped")
                .contains("First Steps").doesNotContain("Second Steps");
        assertThat(operator.get("/admin").body()).contains("action=\"/admin/content/lesson/intro/second/publish\"");

        assertThat(operator.post("/admin/content/lesson/intro/second/publish").statusCode()).isEqualTo(303);
        assertThat(Http.get(base() + "/courses/intro/second").statusCode()).isEqualTo(200);
        assertThat(Http.get(base() + "/courses/intro").body()).contains("Second Steps");
        assertThat(operator.post("/admin/content/lesson/intro/nope/publish").statusCode()).isEqualTo(404);
        assertThat(operator.post("/admin/content/lesson/intro/second/delete").statusCode()).isEqualTo(404);
    }

    @Test
    void aFormFromAnotherSiteOrWithoutItsTokenIsRefused() {
        assertThat(operator.postWithoutToken("/admin/content/article/alpha/unpublish", Map.of("csrf",
                operator.csrf()), "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(operator.postWithoutToken("/admin/content/article/alpha/unpublish", Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).isEqualTo(200);
    }

    @Test
    void anUploadedZipIsImportedAndAHostileOneChangesNothing() throws Exception {
        byte[] demo = zip(Path.of("..", "content", "demo"), "demo/");
        HttpResponse<String> imported = upload(demo);
        assertThat(imported.statusCode()).isEqualTo(200);
        assertThat(imported.body()).contains("8 created").contains("unpublished article alpha");
        assertThat(Http.get(base() + "/courses/java-from-scratch").statusCode()).isEqualTo(200);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("../../escape.md"));
            zip.write("---\ntitle: x\n---\n".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> refused = upload(bytes.toByteArray());
        assertThat(refused.body()).contains("The upload was refused: the zip entry ../../escape.md points outside");
        assertThat(Http.get(base() + "/courses/java-from-scratch").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> upload(byte[] zip) {
        String boundary = "----athanor-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                + operator.csrf() + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"c.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return operator.send(HttpRequest.newBuilder(URI.create(base() + "/admin/content/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static byte[] zip(Path folder, String prefix) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); var files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                zip.putNextEntry(new ZipEntry(prefix + folder.relativize(file).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(file));
            }
        }
        return bytes.toByteArray();
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
