package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A page rendered afresh waits only for a gzip copy at the fastest level. The best level's copy replaces it off the
 * request once a client is sent the fast one, in memory and in the page's files, beside a Brotli copy made meanwhile,
 * and a client holding the fast copy's tag is still answered 304. A page nobody asks for in gzip costs nothing more.
 */
class PageCacheCompressionTest {

    private final Path folder = TestPostgres.newDirectory("pages");

    private final PageCache cache = new PageCache(1 << 20, Duration.ofMinutes(5), Viewers.ANONYMOUS, path -> { },
            new MetricRegistry(), new DatabaseOutage(), new PageFiles(folder));

    @Test
    void theFastGzipCopyIsReplacedByTheBestOneOffTheRequest() throws Exception {
        byte[] page = prose();
        CachedPage stored = cache.cached("/articles/long", "text/html; charset=utf-8", Set.of("articles"), () -> page);
        assertThat(stored.etag(CachedPage.Coding.GZIP)).endsWith("-gz1\"");
        assertThat(gunzip(stored.bytes(CachedPage.Coding.GZIP))).isEqualTo(page);
        assertThat(cache.coding("/articles/long", stored, "gzip, br")).as("no Brotli copy yet")
                .isEqualTo(CachedPage.Coding.GZIP);

        cache.settleCompression();
        cache.settleFiles();
        CachedPage now = cache.hit("/articles/long", null);
        assertThat(now.etag(CachedPage.Coding.GZIP)).endsWith("-gz\"");
        assertThat(now.bytes(CachedPage.Coding.GZIP)).isEqualTo(Gzip.compress(page));
        assertThat(now.bytes(CachedPage.Coding.GZIP).length).as("the best copy is smaller")
                .isLessThan(stored.bytes(CachedPage.Coding.GZIP).length);
        assertThat(now.bytes(CachedPage.Coding.BROTLI)).as("the Brotli copy made meanwhile is kept").isNotNull();
        assertThat(folder.resolve("articles/long.html.gz")).hasBinaryContent(now.bytes(CachedPage.Coding.GZIP));
        assertThat(folder.resolve("articles/long.html.br")).hasBinaryContent(now.bytes(CachedPage.Coding.BROTLI));
        assertThat(folder.resolve("articles/long.html")).hasBinaryContent(page);
        assertThat(now.notModified(stored.etag(CachedPage.Coding.GZIP), -1))
                .as("a client that got the fast copy holds the same page").isTrue();
        assertThat(now.notModified("\"" + "0".repeat(24) + "-gz1\"", -1)).isFalse();
        cache.stop();
    }

    @Test
    void aPageSentOnlyAsItIsKeepsItsFastCopy() throws Exception {
        byte[] page = prose();
        CachedPage stored = cache.cached("/articles/plain", "text/html; charset=utf-8", Set.of("articles"), () -> page);
        assertThat(cache.coding("/articles/plain", stored, "identity")).isEqualTo(CachedPage.Coding.IDENTITY);
        assertThat(cache.coding("/articles/plain", stored, null)).isEqualTo(CachedPage.Coding.IDENTITY);
        cache.settleCompression();
        cache.settleFiles();
        CachedPage now = cache.hit("/articles/plain", null);
        assertThat(now.etag(CachedPage.Coding.GZIP)).endsWith("-gz1\"");
        String plainTag = now.etag(CachedPage.Coding.IDENTITY);
        assertThat(now.notModified(plainTag.substring(0, plainTag.length() - 1) + "-gz\"", -1))
                .as("a client holding the best copy of an earlier rendering of the same bytes").isTrue();
        assertThat(now.bytes(CachedPage.Coding.BROTLI)).isNull();
        assertThat(folder.resolve("articles/plain.html.gz")).hasBinaryContent(stored.bytes(CachedPage.Coding.GZIP));

        cache.coding("/articles/plain", now, "gzip");
        cache.settleCompression();
        assertThat(cache.hit("/articles/plain", null).etag(CachedPage.Coding.GZIP)).as("the first client sent gzip")
                .endsWith("-gz\"");
        cache.stop();
    }

    /** Words from a small vocabulary, as a page of prose: the levels differ on it by several percent. */
    private static byte[] prose() {
        String[] words = "the a lesson method class compiles runs value list returns each loop when then while for"
                .split(" ");
        Random random = new Random(7);
        StringBuilder page = new StringBuilder("<main>");
        while (page.length() < 30_000) {
            page.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? ".</p>\n<p>" : " ");
        }
        return page.append("</main>").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gunzip(byte[] gzipped) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }
}
