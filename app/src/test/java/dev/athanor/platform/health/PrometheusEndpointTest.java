package dev.athanor.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
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
        assertThat(scrape.body()).contains("# TYPE dev_athanor_content_SearchResource_search summary");
        assertThat(count(scrape.body(), "dev_athanor_content_SearchResource_search_count")).isEqualTo(5);
        assertThat(count(scrape.body(), "dev_athanor_content_HomeResource_home_count"))
                .as("the front page rendered once, then came from the page cache").isEqualTo(1);
        assertThat(count(scrape.body(), "dev_athanor_platform_web_page_cache_hits_total")).isGreaterThanOrEqualTo(4);
        assertThat(scrape.body()).contains("io_dropwizard_jetty_MutableServletContextHandler_2xx_responses_total",
                "io_dropwizard_db_ManagedPooledDataSource_database_active");
    }
}
