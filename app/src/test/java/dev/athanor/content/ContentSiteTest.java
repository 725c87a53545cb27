package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Content goes in as a folder and comes out as pages; changes show at once; a bad folder changes nothing. */
class ContentSiteTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeEach
    void startEmpty() {
        ContentTables.empty(DATABASE, ((TestSite) SITE.getApplication()));
    }

    @Test
    void importRoundTripFilesInPagesOutChangesShowAtOnce() throws Exception {
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .video("media/clip.mp4")
                .course("intro", "Introduction", "2026-01-01", "first", "second")
                .lesson("intro", "01-first", "title: First Steps\nslug: first\nvideo: ../../media/clip.mp4\n"
                        + "free: true\n", "Notes about **variables**.")
                .lesson("intro", "02-second", "title: Second Steps\nslug: second\nvideo: ../../media/clip.mp4\n",
                        "Notes about loops.")
                .article("news.md", "title: News\nslug: news\ntags: [Java]\npublished: 2026-02-01\n",
                        "The first article.");

        ImportReport first = content().importFolder(folder.root(), false);
        assertThat(first.summary()).isEqualTo("4 created, 0 changed, 0 renamed, 0 unpublished, 0 unchanged");

        HttpResponse<String> course = get("/courses/intro");
        assertThat(course.statusCode()).isEqualTo(200);
        assertThat(course.body()).contains("<h1>Introduction</h1>", "First Steps", "Second Steps", "0:12",
                "<span class=\"badge free\">Free</span>");
        String etag = course.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/courses/intro").headers().firstValue("ETag")).as("served again from the cache")
                .contains(etag);
        assertThat(get("/articles/news").body()).contains("The first article.", "href=\"/tags/java\"");

        folder.lesson("intro", "02-second", "title: Loops and More\nslug: second\nvideo: ../../media/clip.mp4\n",
                "Notes about loops.")
                .article("news.md", "title: News\nslug: news\ntags: [Java]\npublished: 2026-02-01\n",
                        "The article, edited.");
        ImportReport second = content().importFolder(folder.root(), false);
        assertThat(second.changes()).extracting(Object::toString)
                .containsExactlyInAnyOrder("changed lesson intro/second", "changed article news");
        assertThat(second.unchanged()).isEqualTo(2);

        HttpResponse<String> changed = get("/courses/intro");
        assertThat(changed.body()).as("the cached page was dropped at once").contains("Loops and More")
                .doesNotContain("Second Steps");
        assertThat(changed.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        assertThat(get("/articles/news").body()).contains("The article, edited.");

        folder.delete("articles/news.md");
        ImportReport third = content().importFolder(folder.root(), false);
        assertThat(third.changes()).extracting(Object::toString).containsExactly("unpublished article news");
        assertThat(get("/articles/news").statusCode()).isEqualTo(404);
    }

    @Test
    void theSameFilesImportedFromAnotherFolderChangeNothingAndARealChangeIsStillSeen() throws Exception {
        Path first = copyOfTheDemo("demo-a", Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(content().importFolder(first, false).summary())
                .isEqualTo("8 created, 0 changed, 0 renamed, 0 unpublished, 0 unchanged");
        assertThat(get("/courses/java-from-scratch").statusCode()).isEqualTo(200);
        assertThat(get("/courses/java-from-scratch/hello-world").statusCode()).isEqualTo(200);
        long misses = pageCacheMisses();

        Path second = copyOfTheDemo("demo-b", Instant.parse("2026-06-01T00:00:00Z"));
        ImportReport plan = content().importFolder(second, true);
        assertThat(plan.changes()).as("dry run").isEmpty();
        assertThat(plan.unchanged()).isEqualTo(8);
        ImportReport applied = content().importFolder(second, false);
        assertThat(applied.changes()).isEmpty();
        assertThat(applied.unchanged()).isEqualTo(8);
        assertThat(get("/courses/java-from-scratch").statusCode()).isEqualTo(200);
        assertThat(get("/courses/java-from-scratch/hello-world").statusCode()).isEqualTo(200);
        assertThat(pageCacheMisses()).as("both pages still cached: nothing was invalidated").isEqualTo(misses);

        // One byte of the cover changed, its size and modification time kept.
        Path cover = second.resolve("courses/java-from-scratch/cover.svg");
        FileTime written = Files.getLastModifiedTime(cover);
        Files.writeString(cover, Files.readString(cover).replace("#1d2330", "#1d2331"));
        Files.setLastModifiedTime(cover, written);
        ImportReport changed = content().importFolder(second, true);
        assertThat(changed.changes()).extracting(Object::toString)
                .containsExactly("changed course java-from-scratch");
    }

    @Test
    void aRenamedCourseKeepsItsOldAddressesWithPermanentRedirects() throws Exception {
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .course("old-name", "Renamed", "2026-01-01", "only")
                .lesson("old-name", "only", "title: Only\nslug: only\n", "Notes.");
        content().importFolder(folder.root(), false);
        assertThat(get("/courses/old-name").statusCode()).isEqualTo(200);

        folder.raw("courses/old-name/course.md", "---\ntitle: Renamed\nslug: new-name\nold_slugs: [old-name]\n"
                + "published: 2026-01-01\nlessons: [only]\n---\nBody\n");
        ImportReport report = content().importFolder(folder.root(), false);

        assertThat(report.changes()).extracting(Object::toString).contains("renamed course new-name (was old-name)");
        HttpResponse<String> course = get("/courses/old-name");
        assertThat(course.statusCode()).isEqualTo(301);
        assertThat(course.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/courses/new-name"));
        HttpResponse<String> lesson = get("/courses/old-name/only");
        assertThat(lesson.statusCode()).isEqualTo(301);
        assertThat(lesson.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/courses/new-name/only"));
        assertThat(get("/courses/new-name/only").statusCode()).isEqualTo(200);
    }

    @Test
    void aRenamedLessonAndARenamedArticleKeepTheirOldAddressesWithPermanentRedirects() throws Exception {
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .course("course", "Course", "2026-01-01", "old-lesson")
                .lesson("course", "01", "title: Lesson\nslug: old-lesson\n", "Notes.")
                .article("post.md", "title: Post\nslug: old-post\npublished: 2026-01-01\n", "Body.");
        content().importFolder(folder.root(), false);
        assertThat(get("/courses/course/old-lesson").statusCode()).isEqualTo(200);
        assertThat(get("/articles/old-post").statusCode()).isEqualTo(200);

        folder.raw("courses/course/course.md", "---\ntitle: Course\nslug: course\npublished: 2026-01-01\n"
                + "lessons: [new-lesson]\n---\nBody\n")
                .lesson("course", "01", "title: Lesson\nslug: new-lesson\nold_slugs: [old-lesson]\n", "Notes.")
                .article("post.md", "title: Post\nslug: new-post\nold_slugs: [old-post]\npublished: 2026-01-01\n",
                        "Body.");
        ImportReport report = content().importFolder(folder.root(), false);

        assertThat(report.changes()).extracting(Object::toString).contains(
                "renamed lesson course/new-lesson (was old-lesson)", "renamed article new-post (was old-post)");
        HttpResponse<String> lesson = get("/courses/course/old-lesson");
        assertThat(lesson.statusCode()).isEqualTo(301);
        assertThat(lesson.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/courses/course/new-lesson"));
        HttpResponse<String> article = get("/articles/old-post");
        assertThat(article.statusCode()).isEqualTo(301);
        assertThat(article.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/articles/new-post"));
        assertThat(get("/courses/course/new-lesson").body()).contains("<h1>Lesson</h1>");
        assertThat(get("/articles/new-post").body()).contains("Body.");
        assertThat(get("/articles/never-was").statusCode()).isEqualTo(404);
    }

    @Test
    void aFailedImportChangesNothing() throws Exception {
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .course("steady", "Steady", "2026-01-01", "one")
                .lesson("steady", "one", "title: One\nslug: one\n", "Stays as it is.")
                .article("kept.md", "title: Kept\nslug: kept\npublished: 2026-01-01\n", "Kept body.");
        content().importFolder(folder.root(), false);
        Map<String, List<Map<String, Object>>> before = snapshot();
        String page = get("/courses/steady").body();

        folder.lesson("steady", "one", "title: One, edited\nslug: one\n", "Would change.")
                .article("kept.md", "title: Kept\nslug: kept\npublished: 2026-01-01\n", "Would change too.")
                .article("zzz-broken.md", "title: Broken\nslug: broken\npublished: not-a-date\n", "x");

        assertThatThrownBy(() -> content().importFolder(folder.root(), false))
                .isInstanceOf(ContentImportException.class)
                .hasMessage("articles/zzz-broken.md:4: 'published' must be a date such as 2026-11-26, not"
                        + " 'not-a-date'");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(get("/courses/steady").body()).isEqualTo(page);
    }

    @Test
    void aDryRunReportsThePlanAndChangesNothing() throws Exception {
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .article("plan.md", "title: Planned\nslug: planned\npublished: 2026-01-01\n", "Body.");
        Map<String, List<Map<String, Object>>> before = snapshot();

        ImportReport plan = content().importFolder(folder.root(), true);

        assertThat(plan.applied()).isFalse();
        assertThat(plan.changes()).extracting(Object::toString).contains("created article planned \"Planned\"");
        assertThat(plan.summary()).endsWith("(dry run: nothing was changed)");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(get("/articles/planned").statusCode()).isEqualTo(404);
    }

    @Test
    void conditionalRequestsGet304AndHeadGetsNoBody() throws Exception {
        content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .article("cond.md", "title: Conditional\nslug: conditional\npublished: 2026-01-01\n", "Body.")
                .root(), false);
        String path = "/articles/conditional";
        HttpResponse<String> plain = get(path);
        HttpResponse<String> gzip = get(path, "Accept-Encoding", "gzip");
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        String gzipTag = gzip.headers().firstValue("ETag").orElseThrow();
        String modified = plain.headers().firstValue("Last-Modified").orElseThrow();

        assertThat(gzip.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzipTag).isNotEqualTo(plainTag);
        assertThat(get(path, "If-None-Match", plainTag).statusCode()).isEqualTo(304);
        assertThat(get(path, "If-None-Match", gzipTag, "Accept-Encoding", "gzip").statusCode()).isEqualTo(304);
        assertThat(get(path, "If-Modified-Since", modified).statusCode()).isEqualTo(304);
        assertThat(get(path, "If-None-Match", "\"something-else\"").statusCode()).isEqualTo(200);
        HttpResponse<String> head = Http.head(base() + path);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains(Integer.toString(
                plain.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(get(path, "If-None-Match", plainTag).headers().firstValue("Content-Security-Policy"))
                .isPresent();
    }

    @Test
    void aCachedPageGetsABrotliCopyMadeOffTheRequestAndGzipMeanwhile() throws Exception {
        content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .article("br.md", "title: Brotli\nslug: brotli\npublished: 2026-01-01\n", "Body. ".repeat(400))
                .root(), false);
        String path = "/articles/brotli";
        byte[] plain = bytes(path, "identity");
        HttpResponse<byte[]> meanwhile = response(path, "br, gzip");
        assertThat(meanwhile.headers().firstValue("Content-Encoding")).as("gzip or, already, br")
                .hasValueSatisfying(coding -> assertThat(coding).isIn("gzip", "br"));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                response(path, "br, gzip").headers().firstValue("Content-Encoding").orElse("").equals("br"));
        HttpResponse<byte[]> brotli = response(path, "gzip, deflate, br");
        assertThat(com.aayushatharva.brotli4j.decoder.Decoder.decompress(brotli.body()).getDecompressedData())
                .as("the same page").isEqualTo(plain);
        assertThat(brotli.body().length).isLessThan(response(path, "gzip").body().length);
        String tag = brotli.headers().firstValue("ETag").orElseThrow();
        assertThat(tag).endsWith("-br\"");
        assertThat(get(path, "If-None-Match", tag, "Accept-Encoding", "br").statusCode()).isEqualTo(304);
        assertThat(response(path, "br;q=0, gzip").headers().firstValue("Content-Encoding")).contains("gzip");
    }

    private static byte[] bytes(String path, String acceptEncoding) throws Exception {
        return response(path, acceptEncoding).body();
    }

    private static HttpResponse<byte[]> response(String path, String acceptEncoding) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + path)).header("Accept-Encoding", acceptEncoding).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void trackingParametersNeitherSplitNorFillTheCache() throws Exception {
        content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .article("p.md", "title: Tracked\nslug: tracked\npublished: 2026-01-01\n", "Body.").root(), false);
        String etag = get("/articles/tracked").headers().firstValue("ETag").orElseThrow();

        assertThat(get("/articles/tracked?utm_source=mail&x=1").headers().firstValue("ETag")).contains(etag);
        assertThat(get("/articles/tracked?utm_source=mail", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get("/articles?page=1").statusCode()).isEqualTo(200);
        assertThat(get("/articles?page=2").statusCode()).as("one page of articles only").isEqualTo(404);
        assertThat(get("/articles?page=abc").statusCode()).isEqualTo(404);
    }

    private static Content content() {
        return ((TestSite) SITE.getApplication()).content();
    }

    private static Map<String, List<Map<String, Object>>> snapshot() {
        return DATABASE.jdbi().withHandle(handle -> {
            Map<String, List<Map<String, Object>>> tables = new java.util.TreeMap<>();
            for (String table : List.of("course", "lesson", "article", "tag", "article_tag", "video",
                    "slug_redirect")) {
                tables.put(table, handle.createQuery("SELECT * FROM " + table + " ORDER BY 1, 2").mapToMap()
                        .map(row -> {
                            Map<String, Object> copy = new java.util.TreeMap<>(row);
                            copy.remove("search");
                            return (Map<String, Object>) copy;
                        }).list());
            }
            return tables;
        });
    }

    /** A fresh copy of content/demo (the files, not their times), every file dated {@code time}. */
    private static Path copyOfTheDemo(String name, Instant time) throws IOException {
        Path demo = Path.of("..", "content", "demo");
        Path copy = TestPostgres.newDirectory(name);
        try (Stream<Path> files = Files.walk(demo)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(demo.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
                Files.setLastModifiedTime(target, FileTime.from(time));
            }
        }
        return copy;
    }

    private static long pageCacheMisses() {
        return SITE.getEnvironment().metrics().meter("dev.athanor.platform.web.page-cache.misses").getCount();
    }

    private static HttpResponse<String> get(String path, String... headers) {
        return Http.get(base() + path, headers);
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
