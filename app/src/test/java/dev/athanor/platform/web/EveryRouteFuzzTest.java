package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.api.ApiTokens;
import dev.athanor.platform.db.Database;
import dev.athanor.testing.Browser;
import dev.athanor.testing.Operators;
import dev.athanor.testing.Learners;
import dev.athanor.testing.SiteRoutes;
import dev.athanor.testing.SiteRoutes.Route;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives every route of the site, as Jersey's resource model lists them (so a new route is covered without touching
 * this test), with malformed values in its path parameters, its declared query parameters and form fields, its
 * cookies and headers, and bodies of the wrong type, as a stranger and as a signed-in learner, and the operator
 * pages as an operator (with its second factor). Whatever comes back: no 5xx but one of the documented 503s
 * ({@link #DOCUMENTED_503S}), no stack trace in a body, and under {@code /api/} every error is the API's JSON. The
 * routes it found, the 503s it got and its running time are printed.
 */
class EveryRouteFuzzTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = "fuzz-operator@example.com";
    private static final String OPERATOR_PASSWORD = "a passphrase for the fuzzing operator";

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("api.burst", "100000"),
            ConfigOverride.config("api.requestsPerMinute", "100000"));

    /** Malformed values, percent-encoded as they travel in an address or a form body. */
    private static final List<String> CORPUS = List.of(
            "", "%00", "a%00b", "%C3%28", "%FF", "%ED%A0%80", "%C3", "%25", "..%2F..%2Fetc%2Fpasswd", "..",
            "%27%20OR%201%3D1--", "%27%3B%20DROP%20TABLE%20learner%3B--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "%22%3E%3Cimg%20src%3Dx%3E", "99999999999999999999999999", "-1", "-9223372036854775809", "1e309",
            "%2B1000000000-01-01T00:00:00Z", "-999999999-01-01", "0000-00-00", "%E6%97%A5%E6%9C%AC%F0%9F%98%80",
            "%0D%0ASet-Cookie%3A%20x%3D1", "a".repeat(3000), "b".repeat(9000));

    /** Malformed cookies and headers (this client cannot send NUL, CR or LF: MalformedRequestsTest does). */
    private static final List<String> HEADER_CORPUS = List.of("\u00ff\u00fe", "\u00c3(", "%00", "' OR 1=1--",
            "<script>alert(1)</script>", "-1", "c".repeat(3000));

    /** Bodies of the wrong kind for forms, and garbage for the others. */
    private static final Map<String, String> BODIES = Map.of(
            "application/json", "{\"email\":\"a@example.com\",\"position\":\"x\"}",
            "text/plain", "email=a@example.com",
            "application/xml", "<a>&xxe;</a>",
            "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"zip\"\r\n\r\nPK\r\n--x--",
            "application/x-www-form-urlencoded", "%zz=%00&=&&=%C3");

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * The 503s the site documents (docs/security.md, config.yml), each on its own routes and recognised by what it
     * says. A database outage is not among them: the database is up throughout this test, so a 503 for an outage
     * here would be malformed input taken for one. Any other 503 fails the test.
     */
    static final List<Documented503> DOCUMENTED_503S = List.of(
            new Documented503("the password-hashing slots are busy (accounts' PasswordsBusy)",
                    (method, path) -> method.equals("POST") && (path.startsWith("/login") || path.startsWith("/signup")
                            || path.startsWith("/reset") || path.startsWith("/account")),
                    response -> retryAfter(response, "2") && (response.body().contains("Back in a moment")
                            || response.body().contains("service_unavailable"))),
            new Documented503("the search is too costly for the moment (SearchResource)",
                    (method, path) -> method.equals("GET") && path.equals("/search"),
                    response -> retryAfter(response, "10")),
            new Documented503("Stripe webhooks without a signing secret (WebhookResource)",
                    (method, path) -> method.equals("POST") && path.equals("/stripe/webhook"),
                    response -> response.body().contains("webhooks are not configured on this site")),
            new Documented503("payments cannot be reached (BillingResource)",
                    (method, path) -> path.startsWith("/subscribe") || path.startsWith("/account/subscription"),
                    response -> response.body().contains("Payments cannot be reached right now")));

    /** A 503 the site may give: why, on which requests (method, path), and how its answer shows it. */
    record Documented503(String reason, java.util.function.BiPredicate<String, String> route,
            java.util.function.Predicate<HttpResponse<String>> answer) {

        boolean explains(HttpRequest request, HttpResponse<String> response) {
            return route.test(request.method(), request.uri().getRawPath()) && answer.test(response);
        }
    }

    private static final Map<String, Integer> GOT_503 = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static final Map<String, String> KNOWN = new LinkedHashMap<>();
    private static String csrf;
    private static long learner;
    private static String apiToken;

    /** Who sends a request: the headers that make them who they are. */
    record Identity(String name, List<String> headers) {
    }

    @BeforeAll
    static void contentLearnerAndTokens() throws Exception {
        ((TestSite) SITE.getApplication()).content().importFolder(Paths.get("..", "content", "demo"), false);
        learner = Learners.create(DATABASE, "fuzz@example.com");
        Learners.entitle(DATABASE, learner, null);
        ApiTokens tokens = new ApiTokens(Database.jdbi(DATABASE.dataSource()));
        apiToken = tokens.create(learner, ApiTokens.Kind.API, "fuzz").orElseThrow().token();
        KNOWN.put("course", "java-from-scratch");
        KNOWN.put("lesson", "hello-world");
        KNOWN.put("slug", "why-write-tests-first");
        KNOWN.put("token", tokens.create(learner, ApiTokens.Kind.FEED, "feed").orElseThrow().token());
        KNOWN.put("plan", "monthly");
        KNOWN.put("kind", "article");
        KNOWN.put("action", "publish");
        KNOWN.put("id", "999999");
        Browser browser = Browser.at(base());
        csrf = browser.csrf();
    }

    @Test
    void noRouteAnswersMalformedInputWithAFailureAStackTraceOrAnErrorOfAnotherShape() throws Exception {
        List<Route> routes = SiteRoutes.of(SITE.getEnvironment().jersey().getResourceConfig());
        List<Identity> identities = new ArrayList<>(List.of(
                new Identity("stranger", List.of("Cookie", "csrf=" + csrf)),
                new Identity("learner", List.of("Cookie", "csrf=" + csrf, TestSite.LEARNER_HEADER,
                        Long.toString(learner), "Authorization", "Bearer " + apiToken))));
        Optional<String> operatorSession = operatorSession();
        operatorSession.ifPresent(session -> identities.add(new Identity("operator",
                List.of("Cookie", "csrf=" + csrf + "; " + session))));

        long started = System.nanoTime();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> sent = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            for (Identity identity : identities) {
                for (Route route : routes) {
                    if (identity.name().equals("operator") && !route.template().startsWith("/admin")) {
                        continue;
                    }
                    for (HttpRequest request : requests(route, identity)) {
                        sent.add(senders.submit(() -> check(request, send(request), problems)));
                    }
                }
            }
            for (Future<?> request : sent) {
                request.get();
            }
        } finally {
            senders.shutdownNow();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        System.out.printf("Fuzzed %d routes with %d requests as %s in %d ms (documented 503s: %s):%n%s%n",
                routes.size(), sent.size(), identities.stream().map(Identity::name).collect(Collectors.joining(", ")),
                took.toMillis(), GOT_503, routes.stream().map(route -> "  " + route).collect(Collectors.joining("\n")));
        assertThat(routes).as("the resource model was read").hasSizeGreaterThan(30)
                .extracting(Route::toString).contains("GET /search", "POST /login", "GET /api/v1/courses",
                        "POST /admin/content/{kind}/{slug}/{action}", "POST /stripe/webhook");
        assertThat(problems).as("%d requests", sent.size()).isEmpty();
    }

    /** The requests for {@code route}: malformed path values, then malformed query and form values, then bodies. */
    private static List<HttpRequest> requests(Route route, Identity identity) {
        List<HttpRequest> requests = new ArrayList<>();
        boolean hasBody = !route.method().equals("GET") && !route.method().equals("HEAD");
        if (route.template().contains("{")) {
            for (String value : CORPUS) {
                requests.add(request(route, identity, route.path(name -> value), "",
                        hasBody ? form(route, "x") : null, hasBody ? formType(route) : null));
            }
        }
        String path = route.path(name -> KNOWN.getOrDefault(name, "x"));
        for (String value : CORPUS) {
            List<String> names = new ArrayList<>(route.query());
            names.add("utm_source");
            String query = names.stream().map(name -> name + "=" + value).collect(Collectors.joining("&", "?", ""));
            requests.add(request(route, identity, path, query, hasBody ? form(route, value) : null,
                    hasBody ? formType(route) : null));
        }
        if (hasBody) {
            BODIES.forEach((type, body) -> requests.add(request(route, identity, path, "", body, type)));
            requests.add(request(route, identity, path, "", "", null));
        }
        for (String value : HEADER_CORPUS) {
            requests.add(HttpRequest.newBuilder(URI.create(base() + path))
                    .method(route.method(), HttpRequest.BodyPublishers.noBody())
                    .headers(identity.headers().toArray(String[]::new))
                    .header("Cookie", "session=" + value + "; __Host-session=" + value + "; csrf=" + value)
                    .header(Csrf.HEADER, value).header("Authorization", "Bearer " + value)
                    .header("Stripe-Signature", value).header("Range", "bytes=" + value)
                    .header("Accept-Language", value).timeout(Duration.ofSeconds(30)).build());
        }
        requests.add(HttpRequest.newBuilder(URI.create(base() + path)).method("PATCH",
                HttpRequest.BodyPublishers.ofString("x")).header("Content-Type", "text/plain")
                .headers(identity.headers().toArray(String[]::new)).timeout(Duration.ofSeconds(30)).build());
        return requests;
    }

    private static HttpRequest request(Route route, Identity identity, String path, String query, String body,
            String type) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path + query))
                .headers(identity.headers().toArray(String[]::new)).header(Csrf.HEADER, csrf)
                .timeout(Duration.ofSeconds(30));
        if (type != null) {
            builder.header("Content-Type", type);
        }
        return builder.method(route.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String formType(Route route) {
        return route.multipart() ? "multipart/form-data; boundary=x" : "application/x-www-form-urlencoded";
    }

    /** A form with every declared field set to {@code value} but the form token, which is right. */
    private static String form(Route route, String value) {
        if (route.multipart()) {
            StringBuilder body = new StringBuilder();
            for (String field : route.form()) {
                body.append("--x\r\nContent-Disposition: form-data; name=\"").append(field).append("\"\r\n\r\n")
                        .append(field.equals(Csrf.FIELD) ? csrf : value).append("\r\n");
            }
            return body.append("--x--\r\n").toString();
        }
        return route.form().stream().map(field -> field + "=" + (field.equals(Csrf.FIELD) ? csrf : value))
                .collect(Collectors.joining("&"));
    }

    private static void check(HttpRequest request, HttpResponse<String> response, List<String> problems) {
        String what = request.method() + " " + abbreviate(request.uri().getRawPath() + "?"
                + request.uri().getRawQuery()) + " " + request.headers().firstValue("Content-Type").orElse("")
                + (request.headers().firstValue(TestSite.LEARNER_HEADER).isPresent() ? " (learner)" : "")
                + " -> " + response.statusCode();
        int status = response.statusCode();
        if (status == 503) {
            Optional<Documented503> documented = DOCUMENTED_503S.stream()
                    .filter(known -> known.explains(request, response)).findFirst();
            documented.ifPresentOrElse(known -> GOT_503.merge(known.reason(), 1, Integer::sum),
                    () -> problems.add(what + ": a 503 that is none of the documented ones (Retry-After "
                            + response.headers().firstValue("Retry-After").orElse("none") + ") "
                            + abbreviate(response.body())));
        } else if (status >= 500) {
            problems.add(what + ": a failure");
        }
        String body = response.body();
        for (String trace : List.of("at dev.athanor", "\tat ", "Exception", "Caused by")) {
            if (body.contains(trace)) {
                problems.add(what + ": '" + trace.strip() + "' in the body");
            }
        }
        if (request.uri().getRawPath().startsWith("/api/") && status >= 400) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/json") || !isApiError(body)) {
                problems.add(what + ": not the API's JSON error (" + type + ") " + abbreviate(body));
            }
        }
    }

    private static boolean retryAfter(HttpResponse<String> response, String seconds) {
        return response.headers().firstValue("Retry-After").filter(seconds::equals).isPresent();
    }

    private static boolean isApiError(String body) {
        try {
            JsonNode code = JSON.readTree(body).path("error").path("code");
            return code.isTextual() && !code.asText().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            try {
                return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException closed) {
                // A kept-alive connection that the server had closed after refusing a request it did not read; the
                // pool may hold several such, so the second try goes on a connection of its own.
                return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER).build()
                        .send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(request.method() + " " + abbreviate(request.uri().toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An operator's session cookie: signed in with the password and a code from the authenticator it enrols. */
    private static Optional<String> operatorSession() {
        ((TestSite) SITE.getApplication()).accounts().createOperator(OPERATOR, OPERATOR_PASSWORD);
        Browser operator = Browser.at(base());
        Operators.signIn(operator, DATABASE, OPERATOR, OPERATOR_PASSWORD);
        assertThat(operator.get("/admin").statusCode()).as("the operator pages open").isEqualTo(200);
        return operator.cookie("session").map(session -> "session=" + session);
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
