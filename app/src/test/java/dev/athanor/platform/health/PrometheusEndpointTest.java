package dev.athanor.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Http;
import dev.athanor.testing.Promtool;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PrometheusEndpointTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(() -> DATABASE);

    private static long count(String scrape, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " ([0-9.]+)").matcher(scrape);
        assertThat(matcher.find()).as(name).isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }

    @Test
    void exposesTheRequestTimerOfEachResourceInPrometheusFormat() {
        for (int i = 0; i < 5; i++) {
            assertThat(Http.get("http://127.0.0.1:" + SITE.getLocalPort() + "/search?q=x" + i).statusCode())
                    .isEqualTo(200);
            assertThat(Http.get("http://127.0.0.1:" + SITE.getLocalPort() + "/").statusCode()).isEqualTo(200);
        }

        HttpResponse<String> scrape = Http.get("http://127.0.0.1:" + SITE.getAdminPort() + "/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(scrape.body()).contains("# TYPE dev_athanor_content_search_resource_search_seconds summary");
        assertThat(count(scrape.body(), "dev_athanor_content_search_resource_search_seconds_count")).isEqualTo(5);
        assertThat(count(scrape.body(), "dev_athanor_content_home_resource_home_seconds_count"))
                .as("the front page rendered once, then came from the page cache").isEqualTo(1);
        assertThat(count(scrape.body(), "dev_athanor_platform_web_page_cache_hits_total")).isGreaterThanOrEqualTo(4);
        assertThat(scrape.body()).contains("io_dropwizard_jetty_mutable_servlet_context_handler_2xx_responses_total",
                "io_dropwizard_db_managed_pooled_data_source_database_active", "jvm_memory_used_bytes{area=\"heap\"}",
                "process_cpu_seconds_total");
    }

    @Test
    void promtoolFindsNothingToCorrectInTheMetrics() throws Exception {
        Promtool promtool = Promtool.find();
        // Dropwizard's JVM gauges, as the server command registers them (the test support does not)
        Bootstrap<AthanorConfiguration> bootstrap = new Bootstrap<>(SITE.getApplication());
        bootstrap.setMetricRegistry(SITE.getEnvironment().metrics());
        bootstrap.registerMetrics();
        String site = "http://127.0.0.1:" + SITE.getLocalPort();
        for (String path : new String[] {"/", "/login", "/no-such-page", "/courses", "/articles"}) {
            Http.get(site + path);
        }
        Http.send(HttpRequest.newBuilder(URI.create(site + "/login"))
                .POST(HttpRequest.BodyPublishers.ofString("email=a%40b.test&password=wrong"))
                .header("Content-Type", "application/x-www-form-urlencoded"));

        String scrape = Http.get("http://127.0.0.1:" + SITE.getAdminPort() + "/prometheus").body();

        assertThat(scrape).as("Dropwizard's JVM gauges are left out").doesNotContain("jvm_threads_blocked_count");
        assertThat(promtool.checkMetrics(scrape)).as("promtool check metrics on /prometheus").isEmpty();
    }
}
