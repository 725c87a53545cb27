package dev.athanor.platform.health;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The site's Dropwizard metrics (request timers per resource, pools, JVM, health) in Prometheus's text format at
 * {@code /prometheus} on the admin port, beside Dropwizard's own JSON at {@code /metrics}, so common scrapers can read
 * them. The bridge is Prometheus's own Dropwizard instrumentation; names are Dropwizard's with dots turned into
 * underscores.
 *
 * <p>For each {@code @Timed} resource method Jersey keeps four timers: the method alone, request filters, response
 * filters, and {@code .total}, the whole request including rendering. Prometheus reserves the {@code _total} suffix
 * and strips it, which would give the first and the last one the same name; only the whole-request timer is
 * exported, as {@code dev_athanor_<context>_<Resource>_<method>}.
 */
public final class PrometheusEndpoint {

    /** The admin path of the Prometheus text. */
    public static final String PATH = "/prometheus";

    private PrometheusEndpoint() {
    }

    public static void install(Environment environment) {
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricRegistry metrics = environment.metrics();
        DropwizardExports.builder()
                .dropwizardRegistry(metrics)
                .metricFilter(exportable(metrics))
                .register(registry);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
    }

    private static MetricFilter exportable(MetricRegistry metrics) {
        return (name, metric) -> !name.endsWith(".request.filtering")
                && !name.endsWith(".response.filtering")
                && !metrics.getMetrics().containsKey(name + ".total");
    }
}
