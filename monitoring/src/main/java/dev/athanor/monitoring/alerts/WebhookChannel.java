package dev.athanor.monitoring.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Alerts posted as JSON {@code {"text": "..."}} to a webhook: the format Slack's incoming webhooks take, and with
 * them Mattermost, Rocket.Chat, Discord's {@code /slack} endpoints and most chat tools.
 */
final class WebhookChannel implements AlertChannel {

    static final String NAME = "webhook";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    WebhookChannel(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(AlertMessage message) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(Map.of("text", message.asText()));
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("webhook answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
    }

    @Override
    public String describe() {
        // the URL is a secret (it carries the token); name only where it goes
        return "webhook at " + url.getHost();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
