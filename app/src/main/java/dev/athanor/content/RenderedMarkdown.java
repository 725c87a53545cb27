package dev.athanor.content;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.athanor.platform.Sha256;

/**
 * Markdown rendered once: results are kept by the SHA-256 of their source, so a request never compiles Markdown that
 * has been rendered before, and an edit (a new hash) is rendered once. Bounded by the bytes it holds; its hit rate is
 * the metric {@code dev.athanor.content.markdown.hit-rate}.
 */
final class RenderedMarkdown {

    private final Markdown markdown = new Markdown();
    private final Cache<String, Markdown.Rendered> cache;

    RenderedMarkdown(long maximumBytes, MetricRegistry metrics) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .weigher((String key, Markdown.Rendered value) -> 2 * (value.html().length() + value.text().length())
                        + 128)
                .recordStats()
                .build();
        metrics.register("dev.athanor.content.markdown.hit-rate", (Gauge<Double>) () -> cache.stats().hitRate());
        metrics.register("dev.athanor.content.markdown.entries", (Gauge<Long>) cache::estimatedSize);
    }

    Markdown.Rendered render(String source) {
        return cache.get(Sha256.hex(source), key -> markdown.render(source));
    }
}
