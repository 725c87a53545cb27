package dev.athanor.platform.health;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The site's metrics in Prometheus's text format at {@code /prometheus} on the admin port, beside Dropwizard's own
 * JSON at {@code /metrics}, named as Prometheus users expect (snake_case, timers in {@code _seconds}, counters in
 * {@code _total}; {@code promtool check metrics} finds nothing to correct):
 * <ul>
 *   <li>Dropwizard's metrics (request timers per resource, Jetty, the connection pool, health, the site's own) through
 *       Prometheus's Dropwizard bridge, renamed by {@link PrometheusNames}: for example
 *       {@code dev_athanor_content_home_resource_home_seconds} (a summary: quantiles and {@code _count});
 *   <li>the JVM and the process by Prometheus's own JVM instrumentation, under the names its dashboards use
 *       ({@code jvm_memory_used_bytes}, {@code jvm_threads_current}, {@code process_cpu_seconds_total}...), in place of
 *       Dropwizard's {@code jvm.*} gauges, which count in milliseconds and name counts {@code _count}.
 * </ul>
 *
 * <p>For each {@code @Timed} resource method Jersey keeps four timers: the method alone, request filters, response
 * filters, and {@code .total}, the whole request including rendering. Only the whole-request timer is exported.
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
                .customLabelMapper(new PrometheusNames(metrics))
                .register(registry);
        // one by one rather than JvmMetrics, which keeps every registry it was given in a static set
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
    }

    private static MetricFilter exportable(MetricRegistry metrics) {
        return (name, metric) -> !name.startsWith("jvm.")
                && !name.endsWith(".request.filtering")
                && !name.endsWith(".response.filtering")
                && !metrics.getMetrics().containsKey(name + ".total");
    }
}
