package dev.athanor.accounts;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.accounts.NewsletterDao.Contact;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes newsletter consent and lifecycle stages on to ConvertKit, in the background and only for learners who
 * consented: a consenting learner is subscribed through the form with their stage's tag (the other stages' tags
 * removed); one who withdrew is unsubscribed. A contact whose sync fails stays behind and is tried again next round.
 */
final class NewsletterSync implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(NewsletterSync.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final NewsletterFactory settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Counter synced;
    private final Counter failed;
    private ScheduledExecutorService executor;

    NewsletterSync(Jdbi jdbi, NewsletterFactory settings, MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.synced = metrics.counter("athanor.newsletter.synced");
        this.failed = metrics.counter("athanor.newsletter.failed");
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "newsletter-sync");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::syncQuietly, 10, 60, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void syncQuietly() {
        try {
            syncBehind();
        } catch (RuntimeException e) {
            LOG.warn("newsletter sync failed: {}", e.toString());
        }
    }

    /** Syncs every contact the service is behind on; returns how many were brought up to date. */
    int syncBehind() {
        List<Contact> behind = jdbi.withExtension(NewsletterDao.class, NewsletterDao::behind);
        int done = 0;
        for (Contact contact : behind) {
            String error = null;
            try {
                push(contact);
                synced.inc();
                done++;
            } catch (IOException e) {
                failed.inc();
                error = e.getMessage();
                LOG.warn("newsletter sync of learner {} failed: {}", contact.learnerId(), error);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done;
            }
            String message = error;
            jdbi.useExtension(NewsletterDao.class, dao -> {
                if (message == null) {
                    dao.synced(contact.learnerId(), contact.changedAt());
                } else {
                    dao.failed(contact.learnerId(), message);
                }
            });
        }
        return done;
    }

    private void push(Contact contact) throws IOException, InterruptedException {
        if (!contact.subscribed()) {
            call("PUT", "/v3/unsubscribe", Map.of("api_secret", settings.getApiSecret(), "email", contact.email()));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api_key", settings.getApiKey());
        body.put("email", contact.email());
        String tag = contact.lifecycle() == null ? null : settings.getTags().get(contact.lifecycle());
        if (tag != null) {
            body.put("tags", List.of(Long.parseLong(tag)));
        }
        call("POST", "/v3/forms/" + settings.getFormId() + "/subscribe", body);
        List<String> others = new ArrayList<>();
        settings.getTags().forEach((stage, id) -> {
            if (!stage.equals(contact.lifecycle())) {
                others.add(id);
            }
        });
        for (String other : others) {
            call("POST", "/v3/tags/" + other + "/unsubscribe", Map.of("api_secret", settings.getApiSecret(),
                    "email", contact.email()));
        }
    }

    private void call(String method, String path, Map<String, ?> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.getApiUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json; charset=utf-8")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        // Removing a tag the subscriber never had answers 404; that is the state we want.
        if (response.statusCode() / 100 != 2 && !(response.statusCode() == 404 && path.endsWith("/unsubscribe")
                && path.startsWith("/v3/tags/"))) {
            throw new IOException("ConvertKit " + method + " " + path + " answered " + response.statusCode());
        }
    }
}
