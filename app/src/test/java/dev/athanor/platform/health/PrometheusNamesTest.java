package dev.athanor.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Timer;
import org.junit.jupiter.api.Test;

class PrometheusNamesTest {

    @Test
    void aResourceTimerIsSnakeCaseInSecondsWithoutJerseysTotal() {
        assertThat(PrometheusNames.prometheusName("dev.athanor.accounts.AccountPageResource.changeEmail.total",
                new Timer())).isEqualTo("dev_athanor_accounts_account_page_resource_change_email_seconds");
        assertThat(PrometheusNames.prometheusName(
                "io.dropwizard.jetty.MutableServletContextHandler.get-requests", new Timer()))
                .isEqualTo("io_dropwizard_jetty_mutable_servlet_context_handler_get_requests_seconds");
    }

    @Test
    void countersGaugesAndMetersKeepTheirWordsInSnakeCase() {
        assertThat(PrometheusNames.prometheusName("dev.athanor.platform.web.page-cache.hits", new Counter()))
                .isEqualTo("dev_athanor_platform_web_page_cache_hits");
        assertThat(PrometheusNames.prometheusName("io.dropwizard.jetty.MutableServletContextHandler.2xx-responses",
                new Meter())).isEqualTo("io_dropwizard_jetty_mutable_servlet_context_handler_2xx_responses");
        Gauge<Integer> gauge = () -> 1;
        assertThat(PrometheusNames.prometheusName(
                "io.dropwizard.db.ManagedPooledDataSource.database.releasedIdle", gauge))
                .isEqualTo("io_dropwizard_db_managed_pooled_data_source_database_released_idle");
        assertThat(PrometheusNames.prometheusName(
                "org.eclipse.jetty.server.HttpConnectionFactory.127.0.0.1.0.connections", null))
                .isEqualTo("org_eclipse_jetty_server_http_connection_factory_127_0_0_1_0_connections");
    }

    @Test
    void acronymsAreOneWord() {
        assertThat(PrometheusNames.snakeCase("SSLHandshakeTimer")).isEqualTo("ssl_handshake_timer");
        assertThat(PrometheusNames.snakeCase("TimeBoundHealthCheck-pool")).isEqualTo("time_bound_health_check_pool");
    }
}
