package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Meter;
import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A learner signed in through the real login form, carrying the real session cookie, never gets the shared cached
 * copy of a page, and does not disturb it for anonymous readers.
 */
class SignedInPagesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String LESSON = "/courses/cached/first";

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeAll
    static void content() throws Exception {
        TestSite site = (TestSite) SITE.getApplication();
        ContentTables.empty(DATABASE, site);
        site.content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("content"))
                .video("media/clip.mp4")
                .course("cached", "Cached Course", "2026-01-01", "first")
                .lesson("cached", "01", "title: First\nslug: first\nvideo: ../../media/clip.mp4\nfree: true\n",
                        "Notes.")
                .root(), false);
    }

    @Test
    void aSignedInLearnerGetsAPersonalPageAndAnonymousReadersStillGetTheCachedOne() {
        for (String path : new String[] {LESSON, "/courses/cached"}) {
            HttpResponse<String> anonymous = Http.get(base() + path);
            assertThat(anonymous.statusCode()).isEqualTo(200);
            assertThat(anonymous.body()).contains("href=\"/login\"").doesNotContain("href=\"/account\"");
            String etag = anonymous.headers().firstValue("ETag").orElseThrow();
            assertThat(Http.get(base() + path).headers().firstValue("ETag")).as("cached").contains(etag);
        }
        HttpResponse<String> cachedLesson = Http.get(base() + LESSON);
        String cachedEtag = cachedLesson.headers().firstValue("ETag").orElseThrow();

        Browser learner = Browser.at(base());
        String email = "cached-reader@example.com";
        assertThat(learner.post("/signup", "email", email, "password", "a long walk by the river").statusCode())
                .isEqualTo(200);
        HttpResponse<String> signedIn = learner.post("/login", "email", email, "password",
                "a long walk by the river");
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(learner.cookie("session")).as("the real session cookie").isPresent();

        long hitsBefore = hits().getCount();
        HttpResponse<String> personal = learner.get(LESSON);
        assertThat(personal.statusCode()).isEqualTo(200);
        assertThat(personal.body()).as("the signed-in header, not the cached anonymous one")
                .contains("href=\"/account\"", "Sign out", "Mark as complete")
                .doesNotContain("href=\"/login\"")
                .isNotEqualTo(cachedLesson.body());
        assertThat(personal.headers().firstValue("ETag")).isEmpty();
        assertThat(personal.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
        assertThat(learner.get("/courses/cached").body()).contains("href=\"/account\"", "Sign out");
        HttpResponse<String> conditional = learner.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + LESSON)).header("If-None-Match", cachedEtag).GET());
        assertThat(conditional.statusCode()).as("the cached copy's ETag does not answer a signed-in request")
                .isEqualTo(200);
        assertThat(hits().getCount()).as("no signed-in request was a cache hit").isEqualTo(hitsBefore);

        HttpResponse<String> anonymousAgain = Http.get(base() + LESSON);
        assertThat(anonymousAgain.headers().firstValue("ETag")).contains(cachedEtag);
        assertThat(anonymousAgain.body()).isEqualTo(cachedLesson.body()).doesNotContain(email, "Sign out");
        assertThat(hits().getCount()).as("the anonymous request was served from the cache").isEqualTo(hitsBefore + 1);
        assertThat(Http.get(base() + LESSON, "If-None-Match", cachedEtag).statusCode()).isEqualTo(304);
    }

    private static Meter hits() {
        return SITE.getEnvironment().metrics().meter("dev.athanor.platform.web.page-cache.hits");
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
