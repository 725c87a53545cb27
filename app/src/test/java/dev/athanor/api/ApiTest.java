package dev.athanor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.Sha256;
import dev.athanor.platform.db.Database;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.Http;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import dev.athanor.testing.WithinASecond;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The subscriber API and private feeds over real HTTP against the real site and PostgreSQL: every error code, the
 * downloaded bytes against the checksum, resuming with Range, path traversal, and one learner's tokens against
 * another's.
 */
class ApiTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger LEARNERS = new AtomicInteger();
    private static final String ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    private static byte[] video;
    private static String videoSha;

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("api.burst", "12"), ConfigOverride.config("api.requestsPerMinute",
                    "1"));

    @BeforeAll
    static void content() throws Exception {
        video = Files.readAllBytes(ContentFolderBuilder.DEMO_VIDEO);
        videoSha = HexFormat.of().formatHex(Sha256.digest().digest(video));
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .video("media/clip.mp4");
        for (String course : List.of("alpha", "beta", "gamma")) {
            folder.course(course, "Course " + course, "2026-01-01", "one", "two")
                    .lesson(course, "1", "title: One\nslug: one\nvideo: ../../media/clip.mp4\nfree: true\n", "Notes.")
                    .lesson(course, "2", "title: Two\nslug: two\nvideo: ../../media/clip.mp4\n", "Notes.");
        }
        ((TestSite) SITE.getApplication()).content().importFolder(folder.root(), false);
    }

    @Test
    void everyErrorIsJsonWithAStableCode() throws Exception {
        assertError(Http.get(api("/courses")), 401, "unauthorized");
        assertThat(Http.get(api("/courses")).headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer realm=\"athanor\"");
        assertError(Http.get(api("/courses"), "Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"), 401,
                "unauthorized");
        assertError(Http.get(api("/courses"), "Authorization", "Bearer ath_" + "x".repeat(43)), 401,
                "unauthorized");

        Subscriber subscriber = subscriber();
        assertError(get("/courses/nope", subscriber.token()), 404, "not_found");
        assertError(get("/courses/alpha/lessons/nope", subscriber.token()), 404, "not_found");
        assertError(get("/courses/alpha/lessons/nope/download", subscriber.token()), 404, "not_found");
        assertError(get("/no/such/route", subscriber.token()), 404, "not_found");
        HttpResponse<String> badPage = get("/courses?page=zero", subscriber.token());
        assertError(badPage, 400, "bad_request");
        assertThat(message(badPage)).isEqualTo("page must be a whole number from 1 to 2147483647, not 'zero'.");
        assertError(get("/courses?per_page=1000", subscriber.token()), 400, "bad_request");
        assertThat(message(get("/courses?since=yesterday", subscriber.token()))).startsWith("since must be a time");

        DATABASE.execute("UPDATE entitlement SET ends_at = now() WHERE learner_id = ?", subscriber.learner());
        WithinASecond.until("the lapse reaches the API", () -> get("/courses", subscriber.token()).statusCode() == 403);
        HttpResponse<String> lapsed = get("/courses", subscriber.token());
        assertError(lapsed, 403, "subscription_inactive");

        Subscriber revoked = subscriber();
        new ApiTokens(Database.jdbi(DATABASE.dataSource())).revoke(revoked.learner(), revoked.tokenId());
        assertError(get("/courses", revoked.token()), 401, "unauthorized");
    }

    @Test
    void aSinceBeyondTheYearsTheDatabaseHoldsIsABadRequest() throws Exception {
        Subscriber subscriber = subscriber();
        for (String since : List.of("%2B1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "0000-12-31T23:59:59Z", "%2B10000-01-01", "-0001-01-01")) {
            HttpResponse<String> answer = get("/courses?since=" + since, subscriber.token());
            assertError(answer, 400, "bad_request");
            assertThat(message(answer)).as(since).startsWith("since must be");
        }
        assertThat(get("/courses?since=9999-12-31T23:59:59Z", subscriber.token()).statusCode()).isEqualTo(200);
        assertThat(get("/courses?since=0001-01-01", subscriber.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenOverItsRateLimitWaitsWithRetryAfter() throws Exception {
        Subscriber subscriber = subscriber();
        HttpResponse<String> last = null;
        for (int i = 0; i < 13; i++) {
            last = get("/courses/alpha", subscriber.token());
        }
        assertError(last, 429, "rate_limited");
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        assertThat(get("/courses/alpha", subscriber().token()).statusCode()).as("another token has its own bucket")
                .isEqualTo(200);
    }

    @Test
    void theCatalogueIsPaginatedAndSinceGivesOnlyWhatChanged() throws Exception {
        Subscriber subscriber = subscriber();
        JsonNode first = JSON.readTree(get("/courses?per_page=2", subscriber.token()).body());
        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(first.get("data")).extracting(course -> course.get("slug").asText()).containsExactly("alpha",
                "beta");
        String next = first.get("next").asText();
        assertThat(next).endsWith("/api/v1/courses?page=2&per_page=2");
        JsonNode second = JSON.readTree(get(next.substring(next.indexOf("/api/v1") + 7), subscriber.token()).body());
        assertThat(second.get("data")).extracting(course -> course.get("slug").asText()).containsExactly("gamma");
        assertThat(second.get("next").isNull()).isTrue();

        JsonNode lesson = first.get("data").get(0).get("lessons").get(1);
        assertThat(lesson.get("slug").asText()).isEqualTo("two");
        assertThat(lesson.get("number").asInt()).isEqualTo(2);
        assertThat(lesson.get("video").get("sha256").asText()).isEqualTo(videoSha);
        assertThat(lesson.get("video").get("size_bytes").asLong()).isEqualTo(video.length);
        assertThat(lesson.get("video").get("duration_seconds").asInt()).isEqualTo(12);

        Instant before = Instant.now();
        Thread.sleep(20);
        DATABASE.execute("UPDATE lesson SET updated_at = now() WHERE slug = 'two' AND course_id ="
                + " (SELECT id FROM course WHERE slug = 'beta')");
        JsonNode changed = JSON.readTree(get("/courses?since=" + before, subscriber.token()).body());
        assertThat(changed.get("data")).extracting(course -> course.get("slug").asText()).containsExactly("beta");
        assertThat(changed.get("total").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(get("/courses?since=" + Instant.now().plusSeconds(5), subscriber.token()).body())
                .get("data")).isEmpty();
    }

    @Test
    void aDownloadIsTheFileItsChecksumNamesAndAResumedOneCompletesIt() throws Exception {
        Subscriber subscriber = subscriber();
        JsonNode lesson = JSON.readTree(get("/courses/beta/lessons/two", subscriber.token()).body());
        String url = lesson.get("video").get("download_url").asText();
        assertThat(url).endsWith("/api/v1/courses/beta/lessons/two/download");
        String path = url.substring(url.indexOf("/api/v1") + 7);

        HttpResponse<byte[]> whole = Http.getBytes(api(path), "Authorization", "Bearer " + subscriber.token());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(HexFormat.of().formatHex(Sha256.digest().digest(whole.body())))
                .isEqualTo(lesson.get("video").get("sha256").asText());
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"beta-02-two.mp4\"");

        int cut = 100_000;
        HttpResponse<byte[]> head = Http.getBytes(api(path), "Authorization", "Bearer " + subscriber.token(),
                "Range", "bytes=0-" + (cut - 1));
        HttpResponse<byte[]> rest = Http.getBytes(api(path), "Authorization", "Bearer " + subscriber.token(),
                "Range", "bytes=" + cut + "-");
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range")).hasValue("bytes " + cut + "-" + (video.length - 1)
                + "/" + video.length);
        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        resumed.writeBytes(head.body());
        resumed.writeBytes(rest.body());
        assertThat(HexFormat.of().formatHex(Sha256.digest().digest(resumed.toByteArray()))).isEqualTo(videoSha);

        ((TestSite) SITE.getApplication()).awaitEvents(() -> assertThat(DATABASE.<Long>value(
                "SELECT coalesce(sum(bytes), 0)::bigint FROM event"
                + " WHERE kind = 'download' AND learner_id = ?", subscriber.learner())).isEqualTo(2L * video.length));
    }

    @Test
    void aDownloadEventCountsTheBytesSentAndAHeadCountsNone() throws Exception {
        Subscriber subscriber = subscriber();
        String url = api("/courses/gamma/lessons/one/download");
        HttpResponse<String> head = Http.send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), "Authorization", "Bearer " + subscriber.token());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(video.length);
        HttpResponse<byte[]> part = Http.getBytes(url, "Authorization", "Bearer " + subscriber.token(),
                "Range", "bytes=1000-4999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).hasSize(4000);

        ((TestSite) SITE.getApplication()).awaitEvents(() -> assertThat(DATABASE.list(
                "SELECT bytes FROM event WHERE kind = 'download'"
                + " AND learner_id = " + subscriber.learner(), Long.class))
                .as("one event (the HEAD counts nothing) of the range's length, not the file's size")
                .containsExactly(4000L));
    }

    @Test
    void pathTraversalNeverLeavesTheMediaDirectory() {
        Subscriber subscriber = subscriber();
        for (String attempt : List.of("/courses/..%2F..%2F..%2Fetc%2Fpasswd", "/courses/alpha/lessons/..%2F..%2Fx/download",
                "/courses/alpha/lessons/%2e%2e/download", "/courses/alpha/lessons/..%5C..%5Cwin.ini/download",
                "/courses/alpha/lessons/one%00.mp4/download")) {
            HttpResponse<String> answer = get(attempt, subscriber.token());
            assertThat(answer.statusCode()).as(attempt).isIn(400, 404);
            assertThat(answer.body()).as(attempt).doesNotContain("root:").doesNotContain("Exception");
        }
        HttpResponse<String> feed = Http.get(base() + "/feeds/" + subscriber.feed() + "/alpha/..%2F..%2Fsecret.mp4");
        assertThat(feed.statusCode()).isIn(400, 404);
    }

    @Test
    void theAccountPageShowsATokenOnceAndOneLearnersTokensAreNotAnothers() throws Exception {
        Browser ada = signedIn("ada");
        Browser bob = signedIn("bob");
        HttpResponse<String> made = ada.post("/account/tokens", "name", "ada's laptop");
        assertThat(made.statusCode()).isEqualTo(201);
        String token = token(made.body(), "new-token");
        assertThat(token).startsWith("ath_").hasSize(47);
        assertThat(ada.get("/account/tokens").body()).contains("ada&#39;s laptop").doesNotContain(token);
        assertThat(DATABASE.<Boolean>value("SELECT token_hash = sha256(convert_to(?, 'UTF8')) FROM api_token"
                + " WHERE name = 'ada''s laptop'", token)).as("only the hash is stored").isTrue();

        assertThat(bob.get("/account/tokens").body()).doesNotContain("ada&#39;s laptop");
        long adaToken = DATABASE.<Long>value("SELECT id FROM api_token WHERE name = 'ada''s laptop'");
        assertThat(bob.post("/account/tokens/" + adaToken + "/revoke").statusCode()).isEqualTo(404);
        Learners.entitle(DATABASE, learner("ada"), null);
        assertThat(get("/courses", token).statusCode()).as("still works after bob's attempt").isEqualTo(200);
        assertThat(ada.post("/account/tokens/" + adaToken + "/revoke").statusCode()).isEqualTo(303);
        assertError(get("/courses", token), 401, "unauthorized");
        assertThat(ada.postWithoutToken("/account/tokens", java.util.Map.of("name", "x")).statusCode())
                .as("the form needs its CSRF token").isEqualTo(403);
    }

    @Test
    void thePrivateFeedListsEveryVideoAndStopsWhenTheSubscriptionLapses() throws Exception {
        Browser carol = signedIn("carol");
        Learners.entitle(DATABASE, learner("carol"), null);
        String feedUrl = token(carol.post("/account/tokens/feed").body(), "new-feed");
        assertThat(feedUrl).startsWith("http://localhost:8080/feeds/athf_").endsWith("/lessons.rss");
        String path = feedUrl.substring("http://localhost:8080".length());
        String feedBase = feedUrl.substring(0, feedUrl.length() - "lessons.rss".length());

        HttpResponse<String> feed = Http.get(base() + path);
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type.replace(" ", "")).isEqualTo("application/rss+xml;charset=utf-8"));
        Element rss = parseXml(feed.body()).getDocumentElement();
        assertThat(rss.getTagName()).isEqualTo("rss");
        assertThat(rss.getAttribute("version")).isEqualTo("2.0");
        Element channel = only(rss, "channel");
        assertThat(only(channel, "title").getTextContent()).endsWith(": your lessons");
        assertThat(only(channel, "block", ITUNES).getTextContent()).as("kept out of podcast directories")
                .isEqualTo("yes");
        List<Element> items = children(channel, "item", null);
        assertThat(items).extracting(item -> only(item, "title").getTextContent()).containsExactlyInAnyOrder(
                "Course alpha: 1. One", "Course alpha: 2. Two", "Course beta: 1. One", "Course beta: 2. Two",
                "Course gamma: 1. One", "Course gamma: 2. Two");
        List<String> enclosures = new java.util.ArrayList<>();
        for (Element item : items) {
            Element enclosure = only(item, "enclosure");
            assertThat(Long.parseLong(enclosure.getAttribute("length"))).isEqualTo(video.length);
            assertThat(enclosure.getAttribute("type")).isEqualTo("video/mp4");
            assertThat(only(item, "duration", ITUNES).getTextContent()).isEqualTo("12");
            assertThat(only(item, "guid").getAttribute("isPermaLink")).isEqualTo("false");
            enclosures.add(enclosure.getAttribute("url"));
        }
        assertThat(enclosures).containsExactlyInAnyOrder(feedBase + "alpha/one.mp4", feedBase + "alpha/two.mp4",
                feedBase + "beta/one.mp4", feedBase + "beta/two.mp4", feedBase + "gamma/one.mp4",
                feedBase + "gamma/two.mp4");
        HttpResponse<byte[]> part = Http.getBytes(base() + enclosures.get(0).substring("http://localhost:8080"
                .length()), "Range", "bytes=0-99");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).hasSize(100);

        String api = token(carol.post("/account/tokens", "name", "script").body(), "new-token");
        assertThat(Http.get(base() + "/feeds/" + api + "/lessons.rss").statusCode()).as("an API token is no feed")
                .isEqualTo(401);
        String replaced = token(carol.post("/account/tokens/feed").body(), "new-feed");
        assertThat(replaced).isNotEqualTo(feedUrl);
        assertThat(Http.get(base() + path).statusCode()).as("a new address ends the old one").isEqualTo(401);
        String replacedPath = replaced.substring("http://localhost:8080".length());
        assertThat(Http.get(base() + replacedPath).statusCode()).isEqualTo(200);

        DATABASE.execute("UPDATE entitlement SET ends_at = now() WHERE learner_id = ?", learner("carol"));
        WithinASecond.until("the lapse reaches the feed", () -> Http.get(base() + replacedPath).statusCode() == 403);
        HttpResponse<String> lapsed = Http.get(base() + replacedPath);
        assertThat(lapsed.statusCode()).as("refused once the subscription lapses").isEqualTo(403);
        assertThat(lapsed.body()).doesNotContain("<rss", "<enclosure");
        String lapsedEnclosure = replacedPath.substring(0, replacedPath.length() - "lessons.rss".length())
                + "alpha/one.mp4";
        assertThat(Http.getBytes(base() + lapsedEnclosure, "Range", "bytes=0-99").statusCode())
                .as("and so are its videos").isEqualTo(403);
    }

    // ---- helpers

    record Subscriber(long learner, long tokenId, String token, String feed) {
    }

    private static Subscriber subscriber() {
        long learner = Learners.create(DATABASE, "api" + LEARNERS.incrementAndGet() + "@example.com");
        Learners.entitle(DATABASE, learner, null);
        ApiTokens tokens = new ApiTokens(Database.jdbi(DATABASE.dataSource()));
        ApiTokens.Created api = tokens.create(learner, ApiTokens.Kind.API, "test").orElseThrow();
        ApiTokens.Created feed = tokens.create(learner, ApiTokens.Kind.FEED, "feed").orElseThrow();
        return new Subscriber(learner, api.id(), api.token(), feed.token());
    }

    private static Browser signedIn(String name) {
        Browser browser = Browser.at(base());
        String email = name + "@example.com";
        assertThat(browser.post("/signup", "email", email, "password", "the passphrase of " + name).statusCode())
                .isEqualTo(200);
        assertThat(browser.post("/login", "email", email, "password", "the passphrase of " + name).statusCode())
                .isEqualTo(303);
        return browser;
    }

    private static long learner(String name) {
        return DATABASE.<Long>value("SELECT id FROM learner WHERE email = ?", name + "@example.com");
    }

    private static org.w3c.dom.Document parseXml(String xml) throws Exception {
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The element children of {@code parent} named {@code name} in {@code namespace} (null: no namespace). */
    private static List<Element> children(Element parent, String name, String namespace) {
        List<Element> found = new java.util.ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName())
                    && java.util.Objects.equals(namespace, element.getNamespaceURI())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element only(Element parent, String name) {
        return only(parent, name, null);
    }

    private static Element only(Element parent, String name, String namespace) {
        List<Element> found = children(parent, name, namespace);
        assertThat(found).as("one <%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static String token(String page, String id) {
        Matcher matcher = Pattern.compile("id=\"" + id + "\">([^<]+)<").matcher(page);
        assertThat(matcher.find()).as(page).isTrue();
        return matcher.group(1);
    }

    private static void assertError(HttpResponse<String> answer, int status, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static String message(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body()).get("error").get("message").asText();
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
