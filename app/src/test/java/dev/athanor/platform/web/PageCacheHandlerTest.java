package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.testing.KeepAliveConnection;
import io.dropwizard.jackson.Jackson;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page cache's handler on a real Jetty with a small thread pool: a cached page is answered without a pooled
 * thread (so it is served even while every worker is stuck), everything else runs on the pool, off the selector, and a
 * request the pool refuses is answered 503 with Retry-After and the site's error page, never a reset connection. The
 * site's pool refuses work only while it stops (Dropwizard's queue is unbounded); a bounded queue makes it refuse here.
 */
class PageCacheHandlerTest {

    /** Workers left once the acceptor and the selector have their threads. */
    private static final int WORKERS = 3;
    private static final int QUEUED = 2;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch stuck = new CountDownLatch(WORKERS);
    /** For each request the servlet ran: whether it ran on the selector thread (it must not). */
    private final List<Boolean> onSelector = new ArrayList<>();
    private final List<KeepAliveConnection> opened = new ArrayList<>();
    private Server server;
    private int port;

    @BeforeEach
    void startJettyWithASmallPool() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(WORKERS + 2, WORKERS + 2, 60_000, 0,
                new BlockingArrayQueue<>(QUEUED, 0, QUEUED), null);
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);

        PageCache cache = new PageCache(1 << 20, Duration.ofMinutes(5), Viewers.ANONYMOUS, path -> { },
                new MetricRegistry(), new DatabaseOutage(), null);
        SecurityHeaders headers = new SecurityHeaders("default-src 'self'", 0);
        ServletContextHandler site = new ServletContextHandler();
        site.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                boolean selector = Arrays.stream(Thread.currentThread().getStackTrace())
                        .anyMatch(frame -> frame.getClassName().startsWith(ManagedSelector.class.getName()));
                synchronized (onSelector) {
                    onSelector.add(selector);
                }
                if (request.getRequestURI().equals("/page")) {
                    cache.respond(request, "text/html", Set.of("page"),
                            () -> "<p>the page</p>".getBytes(StandardCharsets.UTF_8));
                    response.getWriter().write("rendered");
                    return;
                }
                stuck.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                response.getWriter().write("slow");
            }
        }), "/*");
        // Behind the cache, in front of the servlets: a handler that fails, and one that handles nothing.
        Handler.Wrapper failing = new Handler.Wrapper(site) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return switch (request.getHttpURI().getPath()) {
                    case "/fails" -> throw new IllegalStateException("a handler failed");
                    case "/nobody" -> false;
                    default -> super.handle(request, response, callback);
                };
            }
        };
        PageCacheHandler front = new PageCacheHandler(cache, headers);
        front.setHandler(failing);
        server.setHandler(front);
        server.setErrorHandler(new SiteErrorHandler.ServerWide(new ErrorPages(
                new Layout(Jackson.newObjectMapper().readValue("{\"baseUrl\": \"http://127.0.0.1\"}",
                        SiteFactory.class).build(), StaticAssets.load(StaticAssets.SITE)), new PageRenderer()),
                headers));
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (KeepAliveConnection connection : opened) {
            connection.close();
        }
        server.stop();
    }

    @Test
    void whatTheHandlersBehindFailOrLeaveEndsAsJettyWouldEndIt() throws Exception {
        try (KeepAliveConnection connection = KeepAliveConnection.open(port)) {
            KeepAliveConnection.Reply nobody = connection.get("/nobody");
            assertThat(nobody.status()).isEqualTo(404);
            assertThat(nobody.body()).contains("<html");

            KeepAliveConnection.Reply failed = connection.get("/fails");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.body()).contains("<html").doesNotContain("IllegalStateException");
            assertThat(connection.closedCleanly(5_000)).as("a connection whose request failed is closed").isTrue();
        }
    }

    private KeepAliveConnection opened(KeepAliveConnection connection) {
        opened.add(connection);
        return connection;
    }

    private List<Boolean> ran() {
        synchronized (onSelector) {
            return List.copyOf(onSelector);
        }
    }

    @Test
    void aCachedPageIsServedWhileEveryWorkerIsStuckAndWhatCannotQueueIsA503() throws Exception {
        // Jetty sets up a new connection on a pooled thread, so every connection used below is opened (and the page
        // rendered into the cache) before the workers get stuck, as nginx's kept-alive upstream connections are.
        try (KeepAliveConnection reader = KeepAliveConnection.open(port);
                KeepAliveConnection latecomer = KeepAliveConnection.open(port);
                KeepAliveConnection queuedFirst = KeepAliveConnection.open(port);
                KeepAliveConnection queuedSecond = KeepAliveConnection.open(port)) {
            assertThat(reader.get("/page").body()).isEqualTo("rendered");
            assertThat(ran()).containsExactly(false);
            for (KeepAliveConnection connection : List.of(latecomer, queuedFirst, queuedSecond)) {
                assertThat(connection.get("/page").body()).isEqualTo("<p>the page</p>");
            }

            List<KeepAliveConnection> stuckOnes = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                stuckOnes.add(opened(KeepAliveConnection.open(port)));
                stuckOnes.get(i).send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            }
            assertThat(stuck.await(10, TimeUnit.SECONDS)).as("every worker is busy").isTrue();
            QueuedThreadPool pool = (QueuedThreadPool) server.getThreadPool();
            queuedFirst.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            queuedSecond.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.getQueueSize() < QUEUED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pool.getQueueSize()).as("the queue is full").isEqualTo(QUEUED);

            KeepAliveConnection.Reply cached = reader.get("/page");
            assertThat(cached.status()).isEqualTo(200);
            assertThat(cached.body()).isEqualTo("<p>the page</p>");
            assertThat(cached.header("Content-Security-Policy")).isEqualTo("default-src 'self'");

            KeepAliveConnection.Reply refused = latecomer.get("/another");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.body()).contains("<html").doesNotContain("Exception");

            release.countDown();
            stuckOnes.addAll(List.of(queuedFirst, queuedSecond));
            for (KeepAliveConnection connection : stuckOnes) {
                KeepAliveConnection.Reply answer = connection.read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("slow");
            }
            assertThat(ran()).hasSize(1 + WORKERS + QUEUED).containsOnly(false);
        }
    }
}
