package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The newsletter sync against a fake ConvertKit (a third-party service, so faked at the HTTP level): only consenting
 * learners leave the site, with their lifecycle tag; withdrawing unsubscribes; a failed call is tried again.
 */
class NewsletterSyncTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static Jdbi jdbi;

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private HttpServer convertKit;
    private NewsletterSync sync;

    @BeforeAll
    static void migrate() {
        new Migrations(DATABASE.dataSource()).migrate();
        jdbi = Database.jdbi(DATABASE.dataSource());
    }

    @BeforeEach
    void start() throws Exception {
        DATABASE.execute("DELETE FROM newsletter_contact");
        convertKit = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        convertKit.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode json = new ObjectMapper().readTree(body);
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + json.path("email").asText() + " " + json.path("tags") + " "
                    + (json.has("api_secret") ? "secret" : json.has("api_key") ? "key" : "none"));
            int status = failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? 503 : 200;
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        convertKit.start();
        NewsletterFactory settings = new ObjectMapper().convertValue(Map.of("apiKey", "key", "apiSecret", "secret",
                "formId", "77", "apiUrl", "http://127.0.0.1:" + convertKit.getAddress().getPort(),
                "tags", Map.of("subscribed", "11", "cancel-scheduled", "12", "payment-failed", "13", "lapsed", "")),
                NewsletterFactory.class);
        sync = new NewsletterSync(jdbi, settings, new MetricRegistry());
    }

    @AfterEach
    void stop() {
        convertKit.stop(0);
    }

    @Test
    void onlyConsentingLearnersAreSyncedWithTheirLifecycleTag() {
        Newsletter newsletter = new Newsletter(jdbi);
        long reader = Learners.create(DATABASE, "reader@example.com");
        long silent = Learners.create(DATABASE, "silent@example.com");
        newsletter.setConsent(reader, true, "test");
        jdbi.useHandle(handle -> {
            Newsletter.lifecycle(handle, reader, Accounts.Lifecycle.SUBSCRIBED);
            Newsletter.lifecycle(handle, silent, Accounts.Lifecycle.SUBSCRIBED);
        });

        assertThat(sync.syncBehind()).isEqualTo(1);
        assertThat(calls).containsExactly(
                "POST /v3/forms/77/subscribe reader@example.com [11] key",
                "POST /v3/tags/12/unsubscribe reader@example.com  secret",
                "POST /v3/tags/13/unsubscribe reader@example.com  secret");
        assertThat(sync.syncBehind()).as("nothing new, nothing sent").isZero();

        calls.clear();
        jdbi.useHandle(handle -> Newsletter.lifecycle(handle, reader, Accounts.Lifecycle.CANCEL_SCHEDULED));
        assertThat(sync.syncBehind()).isEqualTo(1);
        assertThat(calls).first().isEqualTo("POST /v3/forms/77/subscribe reader@example.com [12] key");

        calls.clear();
        newsletter.setConsent(reader, false, "account page");
        assertThat(sync.syncBehind()).isEqualTo(1);
        assertThat(calls).containsExactly("PUT /v3/unsubscribe reader@example.com  secret");
        assertThat(newsletter.consents(reader)).isFalse();
    }

    @Test
    void aFailedCallLeavesTheContactBehindForTheNextRound() {
        long reader = Learners.create(DATABASE, "retry@example.com");
        new Newsletter(jdbi).setConsent(reader, true, "test");
        failuresLeft.set(1);
        assertThat(sync.syncBehind()).isZero();
        assertThat(DATABASE.<String>value("SELECT sync_error FROM newsletter_contact WHERE learner_id = ?", reader))
                .contains("503");
        assertThat(sync.syncBehind()).isEqualTo(1);
        assertThat(DATABASE.<Object>value("SELECT synced_at FROM newsletter_contact WHERE learner_id = ?", reader))
                .isNotNull();
    }
}
