package dev.athanor.content;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.athanor.content.Pages.SearchResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The results of recent searches, by query, until content changes. A popular word searched by many at once (a
 * launch, a link shared) costs PostgreSQL one search, about 10 ms of CPU on a catalogue where every article
 * matches, instead of one a request: those who ask while it runs wait for its answer. Caffeine admits by frequency,
 * so a stream of one-off queries does not push out the popular ones; the size bounds the memory (30 results of a few
 * hundred bytes each a query). A search that fails is not kept.
 */
final class RecentSearches {

    static final int QUERIES = 256;
    /** Dropped with the page cache on every content change; this only bounds how long an unpopular entry stays. */
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final AsyncCache<String, List<SearchResult>> results = Caffeine.newBuilder().maximumSize(QUERIES)
            .expireAfterWrite(LIFETIME).buildAsync();

    /** The kept results for {@code query}, or {@code search}'s, run on this thread and kept when it succeeds. */
    List<SearchResult> get(String query, Function<String, List<SearchResult>> search) {
        // Not Cache.get(key, function): that runs the search inside the map's lock, which also holds up other
        // queries that hash alike for as long as the database takes.
        CompletableFuture<List<SearchResult>> mine = new CompletableFuture<>();
        CompletableFuture<List<SearchResult>> theirs = results.asMap().putIfAbsent(query, mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            List<SearchResult> found = search.apply(query);
            mine.complete(found);
            return found;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e); // removed from the cache by Caffeine, so the next search tries again
            throw e;
        }
    }

    void forgetAll() {
        results.synchronous().invalidateAll();
    }
}
