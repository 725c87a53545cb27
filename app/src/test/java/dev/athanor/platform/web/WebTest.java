package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pages, error pages and static files: in the layout, with the security headers, and never a stack trace. */
class WebTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(FailingSite.class,
            () -> DATABASE);

    /** The real site plus resources that fail, to see what a visitor gets then. */
    public static class FailingSite extends AthanorApplication {
        @Override
        public void run(AthanorConfiguration configuration, Environment environment) throws Exception {
            super.run(configuration, environment);
            environment.jersey().register(new Failing());
        }
    }

    @Path("/")
    public static class Failing {
        @GET
        @Path("boom")
        public String boom() {
            throw new IllegalStateException("secret detail: password=hunter2");
        }

        @GET
        @Path("api/boom")
        public String apiBoom() {
            throw new IllegalStateException("secret detail: password=hunter2");
        }
    }

    @Test
    void anUnknownPageGetsTheNotFoundPageInTheLayout() {
        HttpResponse<String> response = get("/no/such/page");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("<title>Page not found · Test Academy</title>")
                .contains("<a class=\"brand\" href=\"/\">Test Academy</a>")
                .contains("There is nothing at this address");
        assertSecurityHeaders(response);
    }

    @Test
    void aFailureGetsThe500PageWithAReferenceAndNoDetail() {
        HttpResponse<String> response = get("/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("Something went wrong").containsPattern("Reference: <code>[0-9a-f]{8}")
                .doesNotContain("hunter2", "IllegalStateException", "at dev.athanor", "Caused by");
        assertSecurityHeaders(response);
    }

    @Test
    void theApiGetsJsonErrors() {
        HttpResponse<String> response = get("/api/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"error\":{\"code\":\"server_error\",\"message\":\"")
                .contains("\"reference\":\"").doesNotContain("hunter2");
        assertThat(get("/api/nothing").body()).startsWith("{\"error\":{\"code\":\"not_found\",\"message\":\"");
    }

    @Test
    void aWrongMethodKeepsItsAllowHeader() {
        HttpResponse<String> response = Http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + "/")).DELETE());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
                allow -> assertThat(allow).contains("GET"));
        assertThat(response.body()).contains("Method Not Allowed · Test Academy");
    }

    @Test
    void aMalformedRequestGetsThePlainErrorPageWithHeadersAndNoStackTrace() {
        String response = Http.raw(SITE.getLocalPort(), "GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ")
                .contains("Bad Request · Test Academy")
                .contains("Content-Security-Policy: default-src 'self'")
                .contains("X-Content-Type-Options: nosniff")
                .doesNotContain("Exception", "badMessage", "at org.eclipse");
    }

    @Test
    void theStylesheetIsImmutableUnderItsContentHashAndComesCompressed() throws IOException {
        String stylesheet = stylesheetPath();

        HttpResponse<byte[]> plain = Http.getBytes(base() + stylesheet);
        HttpResponse<byte[]> gzipped = Http.getBytes(base() + stylesheet, "Accept-Encoding", "gzip");

        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(plain.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
        assertThat(new String(plain.body(), java.nio.charset.StandardCharsets.UTF_8)).contains(":root");
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes())
                .isEqualTo(plain.body());
        assertSecurityHeaders(plain);

        String etag = plain.headers().firstValue("ETag").orElseThrow();
        assertThat(Http.get(base() + stylesheet, "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void anOutdatedOrUnknownAssetGetsTheNotFoundPage() {
        HttpResponse<String> response = get("/assets/site.0000000000.css");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Page not found · Test Academy");
        assertSecurityHeaders(response);
    }

    @Test
    void theOperatorPagesAreNotThereForStrangers() {
        for (String path : List.of("/admin", "/admin/content", "/admin/activity", "/admin/members",
                "/admin/no/such/page")) {
            HttpResponse<String> admin = get(path);
            assertThat(admin.statusCode()).as(path).isEqualTo(404);
            assertThat(admin.body()).as(path).isEqualTo(get("/no/such/page").body());
        }
    }

    @Test
    void strictTransportSecurityOnlyOverHttps() {
        assertThat(get("/").headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(Http.get(base() + "/", "X-Forwarded-Proto", "https").headers()
                .firstValue("Strict-Transport-Security")).hasValueSatisfying(
                        value -> assertThat(value).startsWith("max-age=31536000"));
    }

    @Test
    void theContentSecurityPolicyAllowsNoBaseElementNoPluginsAndFormsOnlyToTheSite() {
        assertThat(get("/").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("base-uri 'none'", "object-src 'none'", "form-action 'self'")
                        .doesNotContain("base-uri 'self'"));
        assertThat(get("/no/such/page").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                policy -> assertThat(policy).contains("base-uri 'none'"));
    }

    @Test
    void anotherDirectiveCanStillBeWidenedBesideBaseUriNone() {
        String policy = ContentSecurityPolicy.allow(new SiteFactory().getContentSecurityPolicy(), "form-action",
                List.of("https://checkout.stripe.com"));

        assertThat(policy).contains("form-action 'self' https://checkout.stripe.com", "base-uri 'none'",
                "object-src 'none'");
    }

    private static void assertSecurityHeaders(HttpResponse<?> response) {
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                        "base-uri 'none'")
                        .doesNotContain("unsafe-inline"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).contains("strict-origin-when-cross-origin");
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    private static String stylesheetPath() {
        Matcher matcher = Pattern.compile("href=\"(/assets/site\\.[0-9a-f]+\\.css)\"").matcher(get("/").body());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static HttpResponse<String> get(String path) {
        return Http.get(base() + path);
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
