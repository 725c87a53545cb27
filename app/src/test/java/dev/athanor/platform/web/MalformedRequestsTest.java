package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What malformed requests get: NUL bytes, broken escapes and invalid UTF-8 anywhere are a 400, a body of the wrong
 * type on a form is a 415, and the server's own refusals (from Jetty, from Jersey, from a filter that answers 413 or
 * 503 early) are the site's page, or under {@code /api/} the API's JSON error; never a 500 or a stack trace.
 */
class MalformedRequestsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(EarlyRefusals.class,
            () -> DATABASE);

    /**
     * The real site plus what colleagues' limits do: a servlet filter that answers {@code sendError(413)} or a 503
     * with {@code Retry-After}, or throws a JAX-RS 413; a Jetty handler that writes a 413; a resource that returns a
     * bodiless 503 or throws one.
     */
    public static class EarlyRefusals extends AthanorApplication {
        @Override
        public void run(AthanorConfiguration configuration, Environment environment) throws Exception {
            super.run(configuration, environment);
            environment.jersey().register(new Busy());
            environment.servlets().addFilter("refusals", (Filter) (request, response, chain) -> {
                String path = ((HttpServletRequest) request).getRequestURI();
                HttpServletResponse http = (HttpServletResponse) response;
                if (path.endsWith("/filter-too-large")) {
                    http.sendError(413);
                } else if (path.endsWith("/filter-busy")) {
                    http.setHeader("Retry-After", "7");
                    http.sendError(503);
                } else if (path.endsWith("/filter-throws-too-large")) {
                    throw new WebApplicationException(413);
                } else {
                    chain.doFilter(request, response);
                }
            }).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
            environment.lifecycle().addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    if (event instanceof Server server) {
                        Handler.Wrapper limit = new Handler.Wrapper(server.getHandler()) {
                            @Override
                            public boolean handle(org.eclipse.jetty.server.Request request,
                                    org.eclipse.jetty.server.Response response,
                                    org.eclipse.jetty.util.Callback callback) throws Exception {
                                if (request.getHttpURI().getPath().endsWith("/handler-too-large")) {
                                    org.eclipse.jetty.server.Response.writeError(request, response, callback, 413);
                                    return true;
                                }
                                return super.handle(request, response, callback);
                            }
                        };
                        server.setHandler(limit);
                    }
                }
            });
        }
    }

    @Path("/")
    public static class Busy {
        @GET
        @Path("resource-busy")
        public Response busy() {
            return Response.status(503).header("Retry-After", 9).build();
        }

        @GET
        @Path("api/resource-busy")
        public Response apiBusy() {
            return busy();
        }

        @GET
        @Path("exception-busy")
        public String busyException() {
            throw new ServiceUnavailableException(11L);
        }

        @GET
        @Path("api/exception-busy")
        public String apiBusyException() {
            return busyException();
        }
    }

    @Test
    void aNulInTheSearchIsABadRequestAndNotAFailure() {
        HttpResponse<String> response = get("/search?q=%00");

        assertThat(response.statusCode()).isEqualTo(400);
        assertPage(response, "Bad Request");
    }

    @Test
    void nulBrokenEscapesAndInvalidUtf8InTheQueryAreBadRequests() throws Exception {
        for (String value : List.of("%00", "a%00b", "%C3%28", "%FF", "%ED%A0%80", "%C3")) {
            assertThat(get("/search?q=" + value).statusCode()).as(value).isEqualTo(400);
            assertPage(get("/search?q=" + value), "Bad Request");
            assertPage(get("/login?next=" + value), "Bad Request");
            assertJson(get("/api/v1/courses?since=" + value), 400, "bad_request");
        }
        for (String value : List.of("%zz", "%", "%0")) {
            assertThat(raw("GET /search?q=" + value + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .as(value).startsWith("HTTP/1.1 400 ").contains("Bad Request · Test Academy");
            assertThat(raw("GET /api/v1/courses?since=" + value + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n")).as(value).startsWith("HTTP/1.1 400 ")
                    .contains("{\"error\":{\"code\":\"bad_request\"");
        }
        assertThat(get("/search?q=caf%C3%A9+%E2%9C%93").statusCode()).as("well-formed UTF-8 is fine").isEqualTo(200);
    }

    @Test
    void nulBrokenEscapesAndInvalidUtf8InThePathAreBadRequests() throws Exception {
        for (String value : List.of("a%00b", "%C3%28", "%FF", "%zz")) {
            String page = raw("GET /courses/" + value + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(page).as(value).startsWith("HTTP/1.1 400 ").contains("Bad Request · Test Academy")
                    .doesNotContain("Exception", "\tat ");
            String api = raw("GET /api/v1/courses/" + value + " HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                    + "\r\n\r\n");
            assertThat(api).as(value).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                    .contains("{\"error\":{\"code\":\"bad_request\"");
        }
    }

    @Test
    void nulAndInvalidUtf8InFormsAreBadRequests() {
        Browser browser = Browser.at(base());
        for (String value : List.of("%00", "%C3%28", "%FF", "%zz")) {
            HttpResponse<String> response = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("email=" + value + "&password=x&csrf="
                            + browser.csrf())));
            assertThat(response.statusCode()).as(value).isEqualTo(400);
            assertPage(response, "Bad Request");
        }
    }

    @Test
    void nulInCookiesAndHeadersIsABadRequestAndOtherBytesAreHarmless() {
        for (String header : List.of("Cookie: session=a\u0000b", "Cookie: csrf=\u0000", "X-CSRF-Token: \u0000",
                "Authorization: Bearer \u0000")) {
            for (String path : List.of("/account", "/api/v1/courses")) {
                String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + header
                        + "\r\nConnection: close\r\n\r\n");
                assertThat(response).as(path + " " + header).startsWith("HTTP/1.1 400 ")
                        .doesNotContain("Exception", "\tat ");
            }
        }
        for (String path : List.of("/account", "/api/v1/courses", "/")) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nCookie: session=\u00ff\u00fe;"
                    + " csrf=\u00c3\u0028\r\nAuthorization: Bearer \u00ff\r\nConnection: close\r\n\r\n");
            assertThat(response).as(path).doesNotStartWith("HTTP/1.1 5").doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void aBodyOfTheWrongTypeOnAFormIsUnsupported() {
        Browser browser = Browser.at(base());
        String csrf = browser.csrf();
        for (String path : List.of("/login", "/signup", "/logout", "/reset", "/login/link", "/account/password",
                "/account/email", "/account/tokens")) {
            for (Map.Entry<String, String> body : Map.of("application/json", "{\"email\":\"a@example.com\"}",
                    "text/plain", "email=a@example.com", "application/xml", "<email/>").entrySet()) {
                HttpResponse<String> response = browser.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", body.getKey()).header(Csrf.HEADER, csrf)
                        .POST(HttpRequest.BodyPublishers.ofString(body.getValue())));
                assertThat(response.statusCode()).as(path + " " + body.getKey()).isEqualTo(415);
                assertPage(response, "Unsupported Media Type");
            }
            HttpResponse<String> none = browser.send(HttpRequest.newBuilder(URI.create(base() + path))
                    .header(Csrf.HEADER, csrf).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(none.statusCode()).as(path + " without a body").isEqualTo(415);
        }
    }

    @Test
    void theServersOwnRefusalsUnderTheApiAreJson() throws Exception {
        HttpResponse<String> wrongMethod = Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/courses"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "Content-Type", "application/json");
        assertJson(wrongMethod, 405, "method_not_allowed");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValueSatisfying(
                allow -> assertThat(allow).contains("GET"));
        assertJson(Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/courses")).DELETE()), 405,
                "method_not_allowed");
        assertJson(get("/api/nothing"), 404, "not_found");
        assertJson(Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/nothing"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("x"))), 404, "not_found");
        assertJson(Http.get(base() + "/api/v1/openapi.json", "Accept", "image/png"), 406, "not_acceptable");
        assertJson(get("/api/v1/courses?since=" + "a".repeat(20_000)), 414, "uri_too_long");
        assertJson(Http.get(base() + "/api/v1/courses", "X-Padding", "p".repeat(20_000)), 431,
                "request_header_fields_too_large");

        String badEscape = raw("GET /api/v1/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(badEscape).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                .contains("{\"error\":{\"code\":\"bad_request\"");
        String tooLong = raw("GET /api/v1/courses?since=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(tooLong).startsWith("HTTP/1.1 414 ").contains("Content-Type: application/json")
                .contains("{\"error\":{\"code\":\"uri_too_long\"");
    }

    @Test
    void aRequestLineWithAVersionTheSiteDoesNotSpeakIsABadRequest() {
        // Jetty's own answer was 505 with "The problem has been logged", though nothing is: a client's mistake is a
        // 400, the page or (under /api/) the JSON error, and claims no log entry.
        // (HTTP/2.0 in a request line is a 426 Upgrade Required, which says what to do.)
        for (String version : List.of("HTTP/9.9", "HTTP/1.2", "HTTP/0.9", "HTTX/1.1", "HTTP/1.1.1")) {
            String page = raw("GET /search?q=a " + version + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(page).as(version).startsWith("HTTP/1.1 400 ").contains("Content-Type: text/html")
                    .contains("Bad Request · Test Academy").doesNotContain("logged", "Exception", "\tat ");
            String api = raw("GET /api/v1/courses " + version + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(api).as(version).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                    .contains("{\"error\":{\"code\":\"bad_request\"").doesNotContain("logged");
        }
    }

    @Test
    void theServersOwnRefusalsElsewhereAreThePage() {
        HttpResponse<String> tooLong = get("/search?q=" + "a".repeat(20_000));
        assertThat(tooLong.statusCode()).isEqualTo(414);
        assertPage(tooLong, "URI Too Long");
        HttpResponse<String> tooLarge = Http.get(base() + "/search", "X-Padding", "p".repeat(20_000));
        assertThat(tooLarge.statusCode()).isEqualTo(431);
        assertPage(tooLarge, "Request Header Fields Too Large");
        HttpResponse<String> patch = Http.send(HttpRequest.newBuilder(URI.create(base() + "/search"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("x")));
        assertThat(patch.statusCode()).isEqualTo(405);
        assertPage(patch, "Method Not Allowed");
    }

    @Test
    void aLimitThatAnswers413EarlyGetsThePageOrTheJson() throws Exception {
        for (String early : List.of("/filter-too-large", "/filter-throws-too-large", "/handler-too-large")) {
            HttpResponse<String> page = post(early);
            assertThat(page.statusCode()).as(early).isEqualTo(413);
            assertPage(page, "Payload Too Large");
            assertJson(post("/api" + early), 413, "payload_too_large");
        }
    }

    @Test
    void aBusyAnswerKeepsItsRetryAfterAndGetsThePageOrTheJson() throws Exception {
        for (Map.Entry<String, String> busy : Map.of("/filter-busy", "7", "/resource-busy", "9",
                "/exception-busy", "11").entrySet()) {
            HttpResponse<String> page = get(busy.getKey());
            assertThat(page.statusCode()).as(busy.getKey()).isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).as(busy.getKey()).hasValue(busy.getValue());
            assertPage(page, "Back in a moment");
            HttpResponse<String> api = get("/api" + busy.getKey());
            assertJson(api, 503, "service_unavailable");
            assertThat(api.headers().firstValue("Retry-After")).as(busy.getKey()).hasValue(busy.getValue());
        }
    }

    private static void assertPage(HttpResponse<String> response, String title) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains(title + " · Test Academy").doesNotContain("Exception", "\tat ",
                "at dev.athanor");
    }

    private static void assertJson(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static HttpResponse<String> get(String path) {
        return Http.get(base() + path);
    }

    private static HttpResponse<String> post(String path) {
        return Http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .POST(HttpRequest.BodyPublishers.ofString("a=b")), "Content-Type",
                "application/x-www-form-urlencoded");
    }

    private static String raw(String request) {
        return Http.raw(SITE.getLocalPort(), request);
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
