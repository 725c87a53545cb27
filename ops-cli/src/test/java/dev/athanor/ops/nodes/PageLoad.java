package dev.athanor.ops.nodes;

import dev.athanor.testing.Browser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load through nginx: GET threads, each with its own kept-alive connections, cycling through pages the page
 * cache answers, pages it does not, and a signed-in page; and sign-in POST threads beside them. Every answer is
 * counted: a GET fails when it throws or is not a 2xx (the sign-in form each POST thread fetches first included); a
 * POST that throws or is not answered 303 is counted apart, since nginx never sends a POST that reached a node to
 * another one.
 */
final class PageLoad {

    private static final List<String> ANONYMOUS = List.of("/", "/courses/java-from-scratch",
            "/courses/java-from-scratch/hello-world", "/login", "/signup");

    private final String base;
    private final String sessionCookie;
    private final String email;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private final Map<String, AtomicLong> getFailures = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> postFailures = new ConcurrentLinkedQueue<>();
    private CountDownLatch done;
    private long started;

    /** Load on {@code base}; the signed-in page is asked with {@code sessionCookie}; POSTs sign {@code email} in. */
    PageLoad(String base, String sessionCookie, String email) {
        this.base = base;
        this.sessionCookie = sessionCookie;
        this.email = email;
    }

    /** Starts {@code getThreads} GET threads and {@code postThreads} sign-in threads. */
    void start(int getThreads, int postThreads) {
        done = new CountDownLatch(getThreads + postThreads);
        started = System.nanoTime();
        for (int i = 0; i < getThreads; i++) {
            int offset = i;
            thread("get-" + i, () -> getLoop(offset));
        }
        for (int i = 0; i < postThreads; i++) {
            thread("post-" + i, this::postLoop);
        }
    }

    /** Stops the threads and waits for the requests in flight. */
    Result stop() throws InterruptedException {
        running.set(false);
        if (!done.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the load threads did not end");
        }
        return new Result(Duration.ofNanos(System.nanoTime() - started), gets.get(), Map.copyOf(getFailures.entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get()))),
                posts.get(), List.copyOf(postFailures));
    }

    long gets() {
        return gets.get();
    }

    /** What the load saw: GETs sent and their failures by kind, POSTs sent and the ones that failed. */
    record Result(Duration duration, long gets, Map<String, Long> getFailures, long posts, List<String> postFailures) {

        long failedGets() {
            return getFailures.values().stream().mapToLong(Long::longValue).sum();
        }

        String summary() {
            return duration.toMillis() + " ms: GETs " + gets + ", failed " + failedGets() + " " + getFailures
                    + "; sign-in POSTs " + posts
                    + ", failed in flight " + postFailures.size() + " " + postFailures;
        }
    }

    private void getLoop(int offset) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        for (int i = offset; running.get(); i++) {
            int pick = i % (ANONYMOUS.size() + 1);
            HttpRequest.Builder request;
            if (pick == ANONYMOUS.size()) {
                request = HttpRequest.newBuilder(URI.create(base + "/account")).header("Cookie", sessionCookie);
            } else {
                request = HttpRequest.newBuilder(URI.create(base + ANONYMOUS.get(pick)));
            }
            String path = pick == ANONYMOUS.size() ? "/account" : ANONYMOUS.get(pick);
            try {
                HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(15)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    fail(path + " " + response.statusCode());
                } else if (path.equals("/account") && !response.body().contains(email)) {
                    fail(path + " without the learner");
                }
            } catch (Exception e) {
                fail(path + " " + e.getClass().getSimpleName());
            }
            gets.incrementAndGet();
        }
    }

    private void postLoop() {
        while (running.get()) {
            Browser browser = new Browser(base);
            try {
                HttpResponse<String> form = browser.get("/login"); // a GET like the others: its form token
                gets.incrementAndGet();
                if (form.statusCode() != 200) {
                    fail("/login (the sign-in form) " + form.statusCode());
                    continue;
                }
            } catch (Exception e) {
                gets.incrementAndGet();
                fail("/login (the sign-in form) " + e.getClass().getSimpleName());
                continue;
            }
            try {
                HttpResponse<String> answer = browser.post("/login", "email", email, "password", TwoNodes.PASSWORD);
                if (answer.statusCode() != 303) {
                    postFailures.add(Integer.toString(answer.statusCode()));
                }
            } catch (Exception e) {
                postFailures.add(e.getClass().getSimpleName());
            }
            posts.incrementAndGet();
        }
    }

    private void fail(String what) {
        getFailures.computeIfAbsent(what, ignored -> new AtomicLong()).incrementAndGet();
    }

    private void thread(String name, Runnable loop) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } finally {
                done.countDown();
            }
        }, "load-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
