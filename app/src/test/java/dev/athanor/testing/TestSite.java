package dev.athanor.testing;

import dev.athanor.AthanorApplication;
import dev.athanor.accounts.Accounts;
import dev.athanor.billing.Billing;
import dev.athanor.content.Content;
import dev.athanor.events.Events;
import dev.athanor.platform.db.LearnerChanges;
import dev.athanor.platform.web.PageCache;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Viewers;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * The real site for tests, with two test seams: a request carrying {@code X-Test-Learner: ID} is that learner
 * (for tests about content, with learners created directly in the database; other requests are signed in by their
 * session cookie as on the real site), and the wired parts are reachable.
 */
public class TestSite extends AthanorApplication {

    public static final String LEARNER_HEADER = "X-Test-Learner";

    private volatile Parts parts;

    @Override
    protected Viewers viewers(Viewers sessions) {
        return new Viewers() {
            @Override
            public Viewer resolve(HttpServletRequest request) {
                String learner = request.getHeader(LEARNER_HEADER);
                return learner == null ? sessions.resolve(request) : Viewer.learner(Long.parseLong(learner));
            }

            @Override
            public boolean isOperator(org.eclipse.jetty.server.Request request) {
                return sessions.isOperator(request);
            }

            @Override
            public boolean maySignIn(Function<String, String> header) {
                return header.apply(LEARNER_HEADER) != null || Viewers.super.maySignIn(header);
            }
        };
    }

    @Override
    protected void wired(Parts wired) {
        parts = wired;
    }

    public Content content() {
        return parts.content();
    }

    public Events events() {
        return parts.events();
    }

    /**
     * Flushes the recorded events until {@code assertion} holds (ten seconds at most): the site records a video
     * delivery after its last byte went out, which can be a moment after the client holds the whole body.
     */
    public void awaitEvents(Runnable assertion) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            events().flush();
            assertion.run();
        });
    }

    public Accounts accounts() {
        return parts.accounts();
    }

    public Billing billing() {
        return parts.billing();
    }

    public PageCache pageCache() {
        return parts.web().pageCache();
    }

    /** What the site keeps of learners in memory depends on. */
    public LearnerChanges learnerChanges() {
        return parts.learners();
    }
}
