package dev.athanor.ops.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.testing.Browser;
import dev.athanor.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two nodes behind one nginx on one PostgreSQL behave as one site ({@link TwoNodes}): a learner signed in on one node
 * is signed in on the other; sign-out everywhere, a disabled account, a lapsed subscription and a revoked grant reach
 * both within a second; a content import drops both nodes' cached pages within a second; sign-in limits count across
 * nodes; each scheduled fire runs once; a node killed -9 under load through nginx costs no GET; and it rejoins, pages
 * and jobs, when it is started again. The tests run in order on one topology, started once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {

    private static final String LESSON = "/courses/java-from-scratch/loops";
    private static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Nginx.installed(), "nginx is not installed");
        long started = System.nanoTime();
        nodes = TwoNodes.start();
        System.out.printf("TwoNodesIT: topology up in %d s (upstream %s)%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), nodes.upstream());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @Order(1)
    void aLearnerSignedInOnOneNodeIsSignedInOnTheOtherAndThroughNginx() throws Exception {
        assertThat(nodes.upstream()).containsExactly(nodes.first.address(), nodes.second.address());
        String email = Learner.newEmail();
        Browser first = Learner.signedIn(nodes.first.base(), email);
        assertThat(first.get("/account").body()).contains(email);

        Browser second = Learner.sameBrowser(first, nodes.second.base());
        HttpResponse<String> page = second.get("/account");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(email);

        Browser front = Learner.sameBrowser(first, nodes.base());
        long[] before = {nodes.first.served(), nodes.second.served()};
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> through = front.get("/account");
            assertThat(through.statusCode()).isEqualTo(200);
            assertThat(through.body()).contains(email);
        }
        assertThat(nodes.first.served() - before[0]).as("node 1 answered some of them").isPositive();
        assertThat(nodes.second.served() - before[1]).as("node 2 answered some of them").isPositive();
    }

    @Test
    @Order(2)
    void signingOutEverywhereOnOneNodeEndsTheSessionOnTheOtherWithinASecond() {
        String email = Learner.newEmail();
        Browser first = Learner.signedIn(nodes.first.base(), email);
        Browser second = Learner.sameBrowser(first, nodes.second.base());
        assertThat(second.get("/account").statusCode()).isEqualTo(200);

        assertThat(first.post("/account/sessions/all").statusCode()).isEqualTo(303);
        Learner.assertWithinOneSecond("node 2 refuses the session signed out everywhere on node 1",
                () -> second.get("/account"), Learner::sentToSignIn);
    }

    @Test
    @Order(3)
    void aDisabledAccountIsSignedOutOnBothNodesWithinASecond() {
        String email = Learner.newEmail();
        Browser first = Learner.signedIn(nodes.first.base(), email);
        Browser second = Learner.sameBrowser(first, nodes.second.base());
        assertThat(second.get("/account").statusCode()).isEqualTo(200);

        OpsRun disable = nodes.ops("users", "disable", email);
        assertThat(disable.exitCode()).as(disable.out() + disable.err()).isZero();
        Learner.assertWithinOneSecond("node 2 refuses the disabled account's session", () -> second.get("/account"),
                Learner::sentToSignIn);
        assertThat(first.get("/account").statusCode()).isEqualTo(303);
        assertThat(new Browser(nodes.second.base()).post("/login", "email", email, "password", TwoNodes.PASSWORD)
                .statusCode()).as("node 2 refuses its password").isEqualTo(401);
    }

    @Test
    @Order(3)
    void aPasswordChangedOnOneNodeSignsTheOtherBrowsersOutOnTheOtherWithinASecond() {
        String email = Learner.newEmail();
        Browser first = Learner.signedIn(nodes.first.base(), email);
        Browser elsewhere = new Browser(nodes.second.base());
        assertThat(elsewhere.post("/login", "email", email, "password", TwoNodes.PASSWORD).statusCode())
                .isEqualTo(303);
        assertThat(elsewhere.get("/account").statusCode()).as("node 2 knows the other browser").isEqualTo(200);

        assertThat(first.post("/account/password", "current", TwoNodes.PASSWORD, "password",
                TwoNodes.PASSWORD + " changed", "others", "on").statusCode()).isEqualTo(303);
        Learner.assertWithinOneSecond("node 2 refuses the other browser after the password changed on node 1",
                () -> elsewhere.get("/account"), Learner::sentToSignIn);
    }

    @Test
    @Order(4)
    void aLapsedSubscriptionAndARevokedGrantCloseLessonsOnBothNodesWithinASecond() throws Exception {
        String email = Learner.newEmail();
        Browser first = Learner.signedIn(nodes.first.base(), email);
        Browser second = Learner.sameBrowser(first, nodes.second.base());
        assertThat(second.get(LESSON).body()).contains("This lesson is for subscribers");

        HttpResponse<String> checkout = first.send(HttpRequest.newBuilder(URI.create(nodes.first.base()
                + "/subscribe/monthly")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + first.csrf())));
        assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(303);
        String location = checkout.headers().firstValue("Location").orElseThrow();
        String session = location.substring(location.lastIndexOf('/') + 1);
        assertThat(Http.send(HttpRequest.newBuilder(URI.create(nodes.stripe.url() + "/checkout/" + session + "/pay"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(303);
        Learner.assertWithinOneSecond("node 2 opens the lesson to the new subscriber", () -> second.get(LESSON),
                page -> page.body().contains("<video"));
        assertVideoFromTheBucket(second);

        nodes.stripe.delete(nodes.stripe.subscriptionOf(nodes.stripe.customerOfSession(session)));
        Learner.assertWithinOneSecond("node 2 closes the lesson once the subscription is deleted at Stripe",
                () -> second.get(LESSON), Learner::locked);
        assertThat(first.get(LESSON).body()).contains("This lesson is for subscribers");

        OpsRun grant = nodes.ops("members", "grant", email, "--until", "2099-12-31");
        assertThat(grant.exitCode()).as(grant.out() + grant.err()).isZero();
        Learner.assertWithinOneSecond("node 2 opens the lesson to the granted learner", () -> second.get(LESSON),
                page -> page.body().contains("<video"));
        OpsRun revoke = nodes.ops("members", "revoke", email);
        assertThat(revoke.exitCode()).as(revoke.out() + revoke.err()).isZero();
        Learner.assertWithinOneSecond("node 2 closes the lesson once the grant is revoked", () -> second.get(LESSON),
                Learner::locked);
    }

    @Test
    @Order(5)
    void aContentImportDropsTheCachedPagesOfBothNodesWithinASecond() throws Exception {
        String path = "/courses/java-from-scratch/hello-world";
        String marker = "Changed for both nodes at " + Instant.now().toEpochMilli();
        for (SiteNode node : List.of(nodes.first, nodes.second)) {
            for (int i = 0; i < 3; i++) { // the first renders and caches it, the others come from the cache
                HttpResponse<String> page = Http.get(node.base() + path);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).doesNotContain(marker);
            }
        }
        Path lesson = nodes.content.resolve("courses/java-from-scratch/01-hello-world.md");
        Files.writeString(lesson, Files.readString(lesson) + "\n" + marker + "\n");
        nodes.importContent();
        long imported = System.nanoTime();
        for (SiteNode node : List.of(nodes.first, nodes.second)) {
            Learner.assertWithinOneSecond(node.name() + " serves the imported lesson", imported,
                    () -> Http.get(node.base() + path), page -> page.body().contains(marker));
        }
    }

    @Test
    @Order(6)
    void twentyWrongPasswordsSpreadOverBothNodesLockTheClientAsTwentyOnOneWould() {
        String client = "10.77.0.1";
        for (int i = 0; i < 20; i++) {
            SiteNode node = i % 2 == 0 ? nodes.first : nodes.second;
            HttpResponse<String> answer = new Browser(node.base()).from(client).post("/login", "email",
                    "nobody-" + i + "@example.com", "password", "wrong guess " + i);
            assertThat(answer.statusCode()).as("attempt %d, on %s", i + 1, node.name()).isEqualTo(401);
        }
        for (SiteNode node : List.of(nodes.first, nodes.second)) {
            HttpResponse<String> answer = new Browser(node.base()).from(client).post("/login", "email",
                    "nobody-21@example.com", "password", "wrong guess 21");
            assertThat(answer.statusCode()).as("the 21st attempt, on %s", node.name()).isEqualTo(429);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    @Order(7)
    void wrongPasswordsForOneAccountSpreadOverBothNodesLockItAsOnOneNode() {
        String email = Learner.newEmail();
        Learner.signedIn(nodes.first.base(), email);
        for (int i = 0; i < 8; i++) { // each from another address, so that only the account's limit counts
            SiteNode node = i % 2 == 0 ? nodes.first : nodes.second;
            HttpResponse<String> answer = new Browser(node.base()).from("10.78.0." + (i + 1)).post("/login",
                    "email", email, "password", "wrong guess " + i);
            assertThat(answer.statusCode()).as("attempt %d, on %s", i + 1, node.name()).isEqualTo(401);
        }
        for (SiteNode node : List.of(nodes.first, nodes.second)) {
            HttpResponse<String> answer = new Browser(node.base()).from("10.78.1.1").post("/login", "email", email,
                    "password", TwoNodes.PASSWORD);
            assertThat(answer.statusCode()).as("the right password from a new browser, on %s", node.name())
                    .isEqualTo(429);
        }
    }

    @Test
    @Order(8)
    void eachScheduledFireRunsOnceOnOneNodeOrTheOther() throws Exception {
        JobRuns runs = new JobRuns(nodes.database.dataSource());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fires(runs.all(), "certs-renew") < 10 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<JobRuns.Run> all = runs.all();
        assertThat(fires(all, "certs-check")).as("certs-check fires").isGreaterThanOrEqualTo(10);
        assertThat(fires(all, "certs-renew")).as("certs-renew fires").isGreaterThanOrEqualTo(10);
        assertEachFireOnce(all);
        Set<String> ids = Set.of(nodes.first.schedulerId().orElseThrow(), nodes.second.schedulerId().orElseThrow());
        assertThat(all).allMatch(run -> ids.contains(run.instanceId()));
        System.out.printf("TwoNodesIT: %d runs of %d fires, by node: %s%n", all.size(), all.stream()
                .map(run -> run.job() + "@" + run.scheduledAt().orElseThrow()).distinct().count(), all.stream()
                .collect(Collectors.groupingBy(JobRuns.Run::instanceId, Collectors.counting())));
    }

    @Test
    @Order(9)
    void aNodeKilledUnderLoadThroughNginxCostsNoGet() throws Exception {
        String email = Learner.newEmail();
        Browser learner = Learner.signedIn(nodes.base(), email);
        PageLoad load = new PageLoad(nodes.base(), "session=" + learner.cookie("session").orElseThrow(), email);
        long logBefore = Files.size(nodes.nginxErrorLog());
        load.start(6, 2);
        awaitGets(load, 200);
        long killedAt = load.gets();
        nodes.second.kill();
        assertThat(nodes.second.siteAlive()).isFalse();
        awaitGets(load, killedAt + 400);
        PageLoad.Result result = load.stop();
        List<String> retried = nodes.nginxErrors(logBefore, nodes.second.address());
        System.out.printf("TwoNodesIT: node 2 killed -9 after %d GETs; %s; nginx's errors for node 2 (each"
                + " retried on node 1 when it was a GET): %d cut while reading the answer, %d refused%n", killedAt,
                result.summary(), retried.stream().filter(line -> line.contains("reading response header")).count(),
                retried.stream().filter(line -> line.contains("Connection refused")).count());
        assertThat(result.failedGets()).as(result.summary()).isZero();
        assertThat(result.gets()).isGreaterThanOrEqualTo(600);
        assertThat(retried).as("nginx tried the killed node and went on to the other").isNotEmpty();
    }

    @Test
    @Order(10)
    void theKilledNodeStartedAgainTakesRequestsAndJobsWithoutAnOperator() throws Exception {
        String email = Learner.newEmail();
        Browser learner = Learner.signedIn(nodes.base(), email);
        PageLoad load = new PageLoad(nodes.base(), "session=" + learner.cookie("session").orElseThrow(), email);
        load.start(2, 0);
        nodes.second.start(); // the same command as before: nothing else is done, to nginx or to the other node
        nodes.second.awaitReady(Duration.ofSeconds(150));
        long ready = System.nanoTime();
        long before = nodes.second.served();
        int sent = 0;
        // nginx leaves a peer that failed alone for a few seconds (nginx.peers' fail_timeout), then tries it again
        while (nodes.second.served() - before < 10 && System.nanoTime() - ready < Duration.ofSeconds(15).toNanos()) {
            assertThat(Http.get(nodes.base() + "/login").statusCode()).isEqualTo(200);
            sent++;
        }
        long served = nodes.second.served() - before;
        PageLoad.Result result = load.stop();
        System.out.printf("TwoNodesIT: node 2 restarted under load: %s; once ready, it answered %d requests sent"
                + " through nginx (%d by the test, the rest by the load) within %d ms%n", result.summary(), served,
                sent, Duration.ofNanos(System.nanoTime() - ready).toMillis());
        assertThat(result.failedGets()).as("GETs while node 2 started again: " + result.summary()).isZero();
        assertThat(served).as("requests through nginx that node 2 answered within 15 s of being ready")
                .isGreaterThanOrEqualTo(10);

        String restarted = nodes.second.schedulerId().orElseThrow();
        JobRuns runs = new JobRuns(nodes.database.dataSource());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (runs.all().stream().noneMatch(run -> run.instanceId().equals(restarted))
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(runs.all()).as("runs by the restarted scheduler " + restarted)
                .anyMatch(run -> run.instanceId().equals(restarted));
    }

    /** The lesson's video, asked of the node the browser is on, comes from the one bucket both nodes share. */
    private static void assertVideoFromTheBucket(Browser browser) throws Exception {
        java.util.regex.Matcher source = java.util.regex.Pattern.compile("<source src=\"([^\"]+)\"")
                .matcher(browser.get(LESSON).body());
        assertThat(source.find()).isTrue();
        URI src = URI.create(source.group(1).replace("&amp;", "&"));
        HttpResponse<String> redirect = browser.get(src.getRawPath() + (src.getRawQuery() == null ? ""
                : "?" + src.getRawQuery()));
        assertThat(redirect.statusCode()).isEqualTo(302);
        String signed = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(signed).startsWith(nodes.s3.endpoint().toString());
        HttpResponse<byte[]> video = Http.getBytes(signed);
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(video.body()).isEqualTo(Files.readAllBytes(nodes.content.resolve("media/hello-java.mp4")));
    }

    private static void assertEachFireOnce(List<JobRuns.Run> all) {
        Map<String, List<JobRuns.Run>> perFire = all.stream().collect(Collectors.groupingBy(
                run -> run.job() + "@" + run.scheduledAt().orElseThrow()));
        assertThat(perFire.entrySet()).as("fires run more than once").allMatch(fire -> fire.getValue().size() == 1);
        for (String job : List.of("certs-check", "certs-renew")) {
            List<Instant> fires = all.stream().filter(run -> run.job().equals(job))
                    .map(run -> run.scheduledAt().orElseThrow()).sorted().toList();
            long seconds = Duration.between(fires.get(0), fires.get(fires.size() - 1)).toSeconds();
            assertThat(fires).as("no fire of " + job + " (every 2 s) was lost").hasSize((int) seconds / 2 + 1);
        }
    }

    private static long fires(List<JobRuns.Run> runs, String job) {
        return runs.stream().filter(run -> run.job().equals(job) && run.finishedAt().isPresent()).count();
    }

    private static void awaitGets(PageLoad load, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (load.gets() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
