package dev.athanor.content;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.athanor.content.Pages.SearchResult;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The results of recent searches, by query, until content changes. A popular word searched by many at once (a
 * launch, a link shared) costs PostgreSQL one search, about 10 ms of CPU on a catalogue where every article
 * matches, instead of one a request: those who ask while it runs wait for its answer. Caffeine admits by frequency,
 * so a stream of one-off queries does not push out the popular ones; the size bounds the memory (30 results of a few
 * hundred bytes each a query).
 */
final class RecentSearches {

    static final int QUERIES = 256;
    /** Dropped with the page cache on every content change; this only bounds how long an unpopular entry stays. */
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Cache<String, List<SearchResult>> results = Caffeine.newBuilder().maximumSize(QUERIES)
            .expireAfterWrite(LIFETIME).build();

    /** The cached results for {@code query}, or {@code search}'s (kept only when it succeeds). */
    List<SearchResult> get(String query, Function<String, List<SearchResult>> search) {
        return results.get(query, search);
    }

    void forgetAll() {
        results.invalidateAll();
    }
}
