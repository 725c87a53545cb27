package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.api.ApiTokens;
import dev.athanor.platform.db.Database;
import dev.athanor.testing.Browser;
import dev.athanor.testing.Http;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one database allow what one allows: wrong passwords from one address counted on either node lock
 * both, a simultaneous burst spread over both is cut at the limit exactly, and an API token's bucket is one bucket.
 */
class SharedLimitsNodesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final int PER_CLIENT = 20;
    private static DropwizardTestSupport<AthanorConfiguration> first;
    private static DropwizardTestSupport<AthanorConfiguration> second;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        ConfigOverride[] api = {ConfigOverride.config("api.burst", "12"),
                ConfigOverride.config("api.requestsPerMinute", "1")};
        first = TestApp.support(TestSite.class, () -> DATABASE, api);
        second = TestApp.support(TestSite.class, () -> DATABASE, api);
        first.before();
        second.before();
    }

    @AfterAll
    static void stopNodes() {
        second.after();
        first.after();
    }

    @Test
    void wrongPasswordsSpreadOverBothNodesLockLikeAsManyOnOne() {
        String address = "10.9.0.1";
        for (int i = 0; i < PER_CLIENT; i++) {
            Browser browser = Browser.at(base(i % 2 == 0 ? first : second)).from(address);
            int status = browser.post("/login", "email", "nobody" + i / 4 + "@example.com", "password",
                    "wrong guess " + i).statusCode();
            assertThat(status).as("attempt %d, on node %d", i + 1, i % 2 + 1).isEqualTo(401);
        }
        for (DropwizardTestSupport<AthanorConfiguration> node : List.of(first, second)) {
            var refused = Browser.at(base(node)).from(address).post("/login", "email", "someone@example.com",
                    "password", "another guess");
            assertThat(refused.statusCode()).as("the 21st, on node %d", node == first ? 1 : 2).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void aSimultaneousBurstOverBothNodesIsCutAtTheLimit() throws Exception {
        String address = "10.9.0.2";
        int attempts = 40;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String email = "burst" + i + "@example.com";
                Browser browser = Browser.at(base(i % 2 == 0 ? first : second)).from(address);
                browser.csrf();
                answers.add(pool.submit(() -> browser.post("/login", "email", email, "password", "wrong")
                        .statusCode()));
            }
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        long checked = statuses.stream().filter(status -> status == 401).count();
        assertThat(statuses).as("refused, throttled or (hashing busy) asked to come back").allSatisfy(status ->
                assertThat(status).isIn(401, 429, 503));
        assertThat(checked).as("passwords checked: never more than the limit, whichever node").isLessThanOrEqualTo(
                PER_CLIENT).isPositive();
        long counted = DATABASE.<Integer>value("SELECT cardinality(attempts) FROM throttle WHERE key = ?",
                "sign-in:client:" + address);
        assertThat(counted).as("attempts counted: the checked ones").isEqualTo(checked);
        // One at a time now (those the busy hashing refused were not counted): exactly the rest of the 20 get in.
        long after = 0;
        int status = 401;
        for (int i = 0; i <= PER_CLIENT && status == 401; i++) {
            status = Browser.at(base(i % 2 == 0 ? second : first)).from(address).post("/login", "email",
                    "after" + i + "@example.com", "password", "wrong").statusCode();
            after += status == 401 ? 1 : 0;
        }
        assertThat(status).as("the attempt after the 20th").isEqualTo(429);
        assertThat(checked + after).as("passwords checked in all, on both nodes").isEqualTo(PER_CLIENT);
    }

    @Test
    void anApiTokensBucketIsOneBucketOnBothNodes() {
        long learner = Learners.create(DATABASE, "api-nodes@example.com");
        Learners.entitle(DATABASE, learner, null);
        String token = new ApiTokens(Database.jdbi(DATABASE.dataSource()))
                .create(learner, ApiTokens.Kind.API, "test").orElseThrow().token();
        for (int i = 0; i < 12; i++) {
            var answer = Http.get(base(i % 2 == 0 ? first : second) + "/api/v1/courses", "Authorization",
                    "Bearer " + token);
            assertThat(answer.statusCode()).as("call %d of the burst of 12", i + 1).isEqualTo(200);
        }
        for (DropwizardTestSupport<AthanorConfiguration> node : List.of(first, second)) {
            var answer = Http.get(base(node) + "/api/v1/courses", "Authorization", "Bearer " + token);
            assertThat(answer.statusCode()).as("the 13th, on node %d", node == first ? 1 : 2).isEqualTo(429);
            assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                    assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        }
    }

    private static String base(DropwizardTestSupport<AthanorConfiguration> node) {
        return "http://127.0.0.1:" + node.getLocalPort();
    }
}
