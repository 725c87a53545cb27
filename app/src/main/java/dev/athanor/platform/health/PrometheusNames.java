package dev.athanor.platform.health;

import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Dropwizard's metric names as Prometheus users expect them: snake_case ({@code AccountPageResource.changeEmail}
 * becomes {@code account_page_resource_change_email}), and a timer, which the exporter gives in seconds, ends in
 * {@code _seconds}. Jersey's whole-request timer drops its {@code .total}, which Prometheus reserves for counters
 * (the exporter adds it to counters and meters). So {@code dev.athanor.content.SearchResource.search.total} is
 * {@code dev_athanor_content_search_resource_search_seconds}.
 *
 * <p>The exporter's label mapper is its hook for names; its pattern rules are not used here (the library insists on
 * one, which matches nothing).
 */
final class PrometheusNames extends CustomLabelMapper {

    private static final Pattern LOWER_THEN_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern ACRONYM_THEN_WORD = Pattern.compile("([A-Z]+)([A-Z][a-z])");
    private static final Pattern NOT_A_NAME = Pattern.compile("[^a-z0-9]+");

    private final MetricRegistry metrics;

    PrometheusNames(MetricRegistry metrics) {
        super(List.of(new MapperConfig("athanor.unused.*", "unused", Map.of())));
        this.metrics = metrics;
    }

    @Override
    public String getName(String dropwizardName) {
        return prometheusName(dropwizardName, metrics.getMetrics().get(dropwizardName));
    }

    @Override
    public Labels getLabels(String dropwizardName, List<String> labelNames, List<String> labelValues) {
        return Labels.of(labelNames, labelValues);
    }

    /** The Prometheus name of the Dropwizard metric {@code name} (null when unknown: named as a plain value). */
    static String prometheusName(String name, Metric metric) {
        if (metric instanceof Timer) {
            return snakeCase(name.endsWith(".total") ? name.substring(0, name.length() - ".total".length()) : name)
                    + "_seconds";
        }
        return snakeCase(name);
    }

    static String snakeCase(String name) {
        String words = ACRONYM_THEN_WORD.matcher(LOWER_THEN_UPPER.matcher(name).replaceAll("$1_$2"))
                .replaceAll("$1_$2");
        String snake = NOT_A_NAME.matcher(words.toLowerCase(Locale.ROOT)).replaceAll("_");
        return snake.replaceAll("^_+|_+$", "");
    }
}
