package dev.athanor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A browser as far as the site can tell: it keeps the cookies the site sets (as a browser would for one host),
 * sends forms with the page's form token, and does not follow redirects, so tests see each answer.
 */
public final class Browser {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String userAgent = "TestBrowser/1.0";
    private String clientAddress;
    private static final java.util.concurrent.atomic.AtomicInteger ADDRESSES = new java.util.concurrent.atomic.AtomicInteger();

    public Browser(String base) {
        this.base = base;
    }

    /**
     * A browser on its own client address (sent as X-Forwarded-For, as nginx does), so per-address limits of one
     * test do not reach another's.
     */
    public static Browser at(String base) {
        int n = ADDRESSES.incrementAndGet();
        return new Browser(base).from("10.1." + (n / 250) + "." + (n % 250 + 1));
    }

    public Browser from(String address) {
        this.clientAddress = address;
        return this;
    }

    public Browser userAgent(String agent) {
        this.userAgent = agent;
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Posts a form with the form token from the browser's cookie (fetching a page first if it has none). */
    public HttpResponse<String> post(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("csrf", csrf());
        return postWithoutToken(path, all);
    }

    public HttpResponse<String> post(String path, String... nameValuePairs) {
        return post(path, pairs(nameValuePairs));
    }

    /** Posts exactly these fields (no form token added). */
    public HttpResponse<String> postWithoutToken(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream().map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder);
    }

    /** The form token this browser's pages carry. */
    public String csrf() {
        if (!cookies.containsKey("csrf")) {
            get("/login");
        }
        return cookies.get("csrf");
    }

    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    public void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    public void forget(String name) {
        cookies.remove(name);
    }

    /** Sends any request with this browser's cookies and address, keeping the cookies it gets. */
    public HttpResponse<String> send(HttpRequest.Builder builder) {
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        builder.header("User-Agent", userAgent).timeout(Duration.ofSeconds(20));
        if (clientAddress != null) {
            builder.header("X-Forwarded-For", clientAddress);
        }
        try {
            HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String[] parts = header.split(";");
                String[] pair = parts[0].split("=", 2);
                boolean removed = header.contains("Max-Age=0");
                if (removed || pair[1].isEmpty()) {
                    cookies.remove(pair[0].strip());
                } else {
                    cookies.put(pair[0].strip(), pair[1].strip());
                }
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> pairs(String... nameValuePairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            fields.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return fields;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
