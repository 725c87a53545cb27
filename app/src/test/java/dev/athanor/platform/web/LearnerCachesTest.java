package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.ContentTables;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import dev.athanor.testing.WithinASecond;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A signed-in learner's pages are served from what the site keeps in memory (their session, access and progress),
 * and every change made behind the site's back, by SQL as another node or an {@code ops} command would, reaches them
 * within a second; a grant that ends by time closes the lesson with no row changing.
 */
class LearnerCachesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String LESSON = "/courses/kept/paid";
    private static final String PASSWORD = "a long walk by the river";
    private static final AtomicInteger LEARNERS = new AtomicInteger();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @BeforeAll
    static void content() throws Exception {
        TestSite site = (TestSite) SITE.getApplication();
        ContentTables.empty(DATABASE, site);
        site.content().importFolder(ContentFolderBuilder.in(TestPostgres.newDirectory("kept"))
                .video("media/clip.mp4")
                .course("kept", "Kept Course", "2026-01-01", "paid")
                .lesson("kept", "01", "title: Paid\nslug: paid\nvideo: ../../media/clip.mp4\n", "Notes.")
                .root(), false);
    }

    @Test
    void aSignedInPageCostsNoQueryOnceItsLearnerIsKept() {
        Browser learner = signedIn();
        assertThat(learner.get(LESSON).statusCode()).isEqualTo(200);
        long before = transactions();
        for (int i = 0; i < 200; i++) {
            assertThat(learner.get(LESSON).body()).contains("This lesson is for subscribers");
            assertThat(learner.get("/courses/kept").statusCode()).isEqualTo(200);
        }
        // 400 pages; what runs beside them (the listener's round trips, the events writer) is a handful.
        assertThat(transactions() - before).as("transactions while 400 pages were served").isLessThan(60);
    }

    @Test
    void changesMadeBehindTheSitesBackReachItsPagesWithinASecond() {
        Browser learner = signedIn();
        long id = learnerId(learner);
        assertThat(learner.get(LESSON).body()).contains("This lesson is for subscribers");

        DATABASE.execute("INSERT INTO entitlement (learner_id, source, starts_at, note) VALUES (?, 'grant', now(),"
                + " 'by hand')", id);
        WithinASecond.until("the grant opens the lesson", () -> learner.get(LESSON).body().contains("<video"));

        // Progress is not announced (it changes every few seconds while a video plays): kept a few seconds at most.
        DATABASE.execute("INSERT INTO lesson_progress (learner_id, lesson_id, position_seconds, completed_at)"
                + " SELECT ?, id, 1, now() FROM lesson WHERE slug = 'paid'", id);
        Awaitility.await("the completion shows on the course page").atMost(Duration.ofSeconds(6))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> learner.get("/courses/kept").body().contains("aria-label=\"completed\""));

        DATABASE.execute("UPDATE entitlement SET ends_at = now() WHERE learner_id = ?", id);
        WithinASecond.until("the ended grant closes the lesson",
                () -> learner.get(LESSON).body().contains("This lesson is for subscribers"));

        DATABASE.execute("DELETE FROM session WHERE learner_id = ?", id);
        WithinASecond.until("the ended session sends the learner to sign in",
                () -> learner.get("/account").statusCode() == 303);
    }

    @Test
    void aGrantEndingByTimeClosesTheLessonThoughNoRowChanges() {
        Browser learner = signedIn();
        long id = learnerId(learner);
        DATABASE.execute("INSERT INTO entitlement (learner_id, source, starts_at, ends_at, note)"
                + " VALUES (?, 'grant', now(), now() + interval '2 seconds', 'short')", id);
        WithinASecond.until("the grant opens the lesson", () -> learner.get(LESSON).body().contains("<video"));
        Awaitility.await("the grant's end").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> learner.get(LESSON).body().contains("This lesson is for subscribers"));
        boolean ended = DATABASE.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT ends_at < now() FROM entitlement WHERE learner_id = :id").bind("id", id)
                .mapTo(Boolean.class).one());
        assertThat(ended).as("closed at its end, not before").isTrue();
    }

    private static Browser signedIn() {
        String email = "kept-" + LEARNERS.incrementAndGet() + "@example.com";
        Browser learner = Browser.at(base());
        assertThat(learner.post("/signup", "email", email, "password", PASSWORD).statusCode()).isEqualTo(200);
        assertThat(learner.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(303);
        learner.get("/account");
        return learner;
    }

    private static long learnerId(Browser learner) {
        String email = learner.get("/account").body().replaceAll("(?s).*?(kept-\\d+@example\\.com).*", "$1");
        return DATABASE.jdbi().withHandle(handle -> handle.createQuery("SELECT id FROM learner WHERE email = :e")
                .bind("e", email).mapTo(Long.class).one());
    }

    private static long transactions() {
        return DATABASE.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")
                .mapTo(Long.class).one());
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
