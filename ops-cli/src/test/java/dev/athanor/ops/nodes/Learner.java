package dev.athanor.ops.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.Browser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A learner of the two-node tests as their browser shows them: signed up and in on one node, the same cookies carried
 * to another node or to nginx, and what a page says of them (sent to sign in, a lesson locked), polled against a
 * one-second deadline.
 */
final class Learner {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private Learner() {
    }

    /** A new learner's address, unique in the run. */
    static String newEmail() {
        return "learner-" + COUNT.incrementAndGet() + "-" + System.nanoTime() % 100_000 + "@example.com";
    }

    /** A new learner signed up and in on {@code base}, from an address of its own. */
    static Browser signedIn(String base, String email) {
        Browser browser = Browser.at(base);
        assertThat(browser.post("/signup", "email", email, "password", TwoNodes.PASSWORD).statusCode())
                .isEqualTo(200);
        assertThat(browser.post("/login", "email", email, "password", TwoNodes.PASSWORD).statusCode())
                .isEqualTo(303);
        return browser;
    }

    /** A browser on {@code base} with {@code browser}'s cookies: the same learner, on another node or on nginx. */
    static Browser sameBrowser(Browser browser, String base) {
        Browser copy = new Browser(base);
        for (String name : List.of("session", "device", "csrf")) {
            browser.cookie(name).ifPresent(value -> copy.setCookie(name, value));
        }
        return copy;
    }

    /** Whether the page sent its visitor to sign in: a session the node does not take. */
    static boolean sentToSignIn(HttpResponse<String> page) {
        return page.statusCode() == 303 && page.headers().firstValue("Location").orElse("").startsWith("/login");
    }

    /** Whether the lesson page shows no video and asks to subscribe. */
    static boolean locked(HttpResponse<String> page) {
        return page.body().contains("This lesson is for subscribers") && !page.body().contains("<video");
    }

    /** As below, from now. */
    static void assertWithinOneSecond(String what, Supplier<HttpResponse<String>> page,
            Predicate<HttpResponse<String>> condition) {
        assertWithinOneSecond(what, System.nanoTime(), page, condition);
    }

    /**
     * Polls {@code page} until it satisfies {@code condition}; fails unless an answer that does arrived within a
     * second of {@code since} (a {@link System#nanoTime()}).
     */
    static void assertWithinOneSecond(String what, long since, Supplier<HttpResponse<String>> page,
            Predicate<HttpResponse<String>> condition) {
        long deadline = since + ONE_SECOND.toNanos();
        HttpResponse<String> last = page.get();
        while (!condition.test(last) && System.nanoTime() < deadline) {
            last = page.get();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - since);
        boolean met = condition.test(last);
        System.out.printf("TwoNodesIT: %s: %s after %d ms%n", what, met ? "yes" : "NO", elapsed.toMillis());
        assertThat(met && elapsed.compareTo(ONE_SECOND) <= 0).as(what + " within a second (after "
                + elapsed.toMillis() + " ms, the last answer: " + last.statusCode() + ")").isTrue();
    }
}
