package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Markdown is rendered once per source: a second render is a cache hit, and the cache stays within its bound. */
class RenderedMarkdownTest {

    private final MetricRegistry metrics = new MetricRegistry();

    @Test
    void aSecondRenderOfTheSameSourceIsAHit() {
        RenderedMarkdown rendered = new RenderedMarkdown(1_000_000, metrics);

        Markdown.Rendered first = rendered.render("# Title\n\nSome *notes*.");
        assertThat(hitRate()).isEqualTo(0.0);
        Markdown.Rendered second = rendered.render("# Title\n\nSome *notes*.");

        assertThat(second).as("the very same rendering, not a new one").isSameAs(first);
        assertThat(hitRate()).isEqualTo(0.5);
        assertThat(entries()).isEqualTo(1);
        assertThat(rendered.render("# Title\n\nSome *other* notes.").html()).contains("<em>other</em>");
        assertThat(hitRate()).as("an edited source is a miss").isCloseTo(1.0 / 3, org.assertj.core.data.Offset
                .offset(1e-9));
        assertThat(entries()).isEqualTo(2);
    }

    @Test
    void theCacheKeepsWithinItsBound() throws InterruptedException {
        String paragraph = "A sentence of notes that fills the page. ".repeat(25);
        long weightOfOne = 2L * (2 * paragraph.length()) + 128;
        RenderedMarkdown rendered = new RenderedMarkdown(3 * weightOfOne, metrics);

        for (int i = 0; i < 40; i++) {
            rendered.render("Part " + i + ". " + paragraph);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (entries() > 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            rendered.render("Part 39. " + paragraph);
        }
        assertThat(entries()).as("at most about three renderings fit").isBetween(1L, 3L);
        Markdown.Rendered again = rendered.render("Part 39. " + paragraph);
        assertThat(again.html()).contains("Part 39.");
    }

    private double hitRate() {
        return (Double) gauge("dev.athanor.content.markdown.hit-rate").getValue();
    }

    private long entries() {
        return (Long) gauge("dev.athanor.content.markdown.entries").getValue();
    }

    private Gauge<?> gauge(String name) {
        return metrics.getGauges().get(name);
    }
}
