package dev.athanor.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator pages: behind the operator password, forms only from this site, imports all or nothing. */
class AdminPagesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String PASSWORD = "correct horse battery staple";
    private static final String OPERATOR = "Basic " + Base64.getEncoder().encodeToString(
            ("operator:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("operator.password", PASSWORD));

    @BeforeEach
    void importContent() throws Exception {
        ContentTables.empty(DATABASE, ((TestSite) SITE.getApplication()).pageCache());
        ((TestSite) SITE.getApplication()).content().importFolder(ContentFolderBuilder.in(
                TestPostgres.newDirectory("content"))
                .article("a.md", "title: Alpha\nslug: alpha\npublished: 2026-01-01\n", "Alpha body.").root(), false);
    }

    @Test
    void onlyTheOperatorGetsIn() {
        HttpResponse<String> anonymous = Http.get(base() + "/admin");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic realm=\"Athanor operator\""));
        String wrong = "Basic " + Base64.getEncoder().encodeToString("operator:guess".getBytes(StandardCharsets.UTF_8));
        assertThat(Http.get(base() + "/admin", "Authorization", wrong).statusCode()).isEqualTo(401);
        assertThat(Http.get(base() + "/admin", "Authorization", "Basic !!!").statusCode()).isEqualTo(401);

        HttpResponse<String> operator = Http.get(base() + "/admin", "Authorization", OPERATOR);
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("<td>Alpha</td>", "<code>alpha</code>", "<td>published</td>");
        assertThat(operator.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(Http.get(base() + "/admin/activity", "Authorization", OPERATOR).statusCode()).isEqualTo(200);
    }

    @Test
    void unpublishingByHandTakesThePageDownAtOnce() {
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).isEqualTo(200);

        HttpResponse<String> unpublished = post("/admin/content/article/alpha/unpublish", base());
        assertThat(unpublished.statusCode()).isEqualTo(303);
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).isEqualTo(404);

        assertThat(post("/admin/content/article/alpha/publish", base()).statusCode()).isEqualTo(303);
        assertThat(Http.get(base() + "/articles/alpha").statusCode()).isEqualTo(200);
        assertThat(post("/admin/content/article/nope/publish", base()).statusCode()).isEqualTo(404);
    }

    @Test
    void aFormFromAnotherSiteIsRefused() {
        assertThat(post("/admin/content/article/alpha/unpublish", "https://evil.example").statusCode())
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

    private static HttpResponse<String> upload(byte[] zip) {
        String boundary = "----athanor-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"c.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return Http.send(HttpRequest.newBuilder(URI.create(base() + "/admin/content/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), "Authorization", OPERATOR,
                "Origin", base());
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

    private static HttpResponse<String> post(String path, String origin) {
        return Http.send(HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.noBody()),
                "Authorization", OPERATOR, "Origin", origin);
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
