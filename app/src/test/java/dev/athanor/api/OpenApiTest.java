package dev.athanor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document served at /api/v1/openapi.json describes exactly the routes the API has. */
class OpenApiTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        HttpResponse<String> served = Http.get("http://127.0.0.1:" + SITE.getLocalPort() + "/api/v1/openapi.json");
        assertThat(served.statusCode()).as("no token needed").isEqualTo(200);
        JsonNode document = new ObjectMapper().readTree(served.body());
        assertThat(document.get("openapi").asText()).startsWith("3.");

        Set<String> documented = new TreeSet<>();
        Iterator<String> paths = document.get("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            document.get("paths").get(path).fieldNames().forEachRemaining(method ->
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path));
        }

        Set<String> routes = new TreeSet<>();
        Resource api = Resource.from(ApiResource.class);
        for (Resource child : api.getChildResources()) {
            for (ResourceMethod method : child.getResourceMethods()) {
                String path = "/" + child.getPath();
                if (!path.startsWith("/{any")) { // the JSON 404 for everything else
                    routes.add(method.getHttpMethod() + " " + path);
                }
            }
        }
        assertThat(routes).isNotEmpty().isEqualTo(documented);
    }

    @Test
    void everyErrorResponseNamesACodeTheApiSends() throws Exception {
        JsonNode document = new ObjectMapper().readTree(ApiResource.class.getResourceAsStream("openapi.json"));
        JsonNode codes = document.at("/components/schemas/Error/properties/error/properties/code/enum");
        Set<String> documented = new TreeSet<>();
        codes.forEach(code -> documented.add(code.asText()));
        assertThat(documented).containsExactlyInAnyOrder(ApiError.badRequest("x").code(),
                ApiError.unauthorized("x").code(), ApiError.lapsed().code(), ApiError.notFound("x").code(),
                ApiError.rateLimited(java.time.Duration.ofSeconds(1)).code());
    }
}
