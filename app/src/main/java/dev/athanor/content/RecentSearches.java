package dev.athanor.content;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.athanor.content.Pages.SearchResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The results of recent searches, by query, until content changes. A popular word searched by many at once (a
 * launch, a link shared) costs PostgreSQL one search, about 10 ms of CPU on a catalogue where every article
 * matches, instead of one a request: those who ask while it runs wait for its answer. Caffeine admits by frequency,
 * so a stream of one-off queries does not push out the popular ones; the size bounds the memory (30 results of a few
 * hundred bytes each a query). A search that fails is not kept (and not logged here: the caller answers for it).
 */
final class RecentSearches {

    static final int QUERIES = 256;
    /** Dropped with the page cache on every content change; this only bounds how long an unpopular entry stays. */
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Cache<String, List<SearchResult>> results = Caffeine.newBuilder().maximumSize(QUERIES)
            .expireAfterWrite(LIFETIME).build();
    /** Searches running now, so that those who ask the same wait for them (outside any lock of the cache's). */
    private final Map<String, CompletableFuture<List<SearchResult>>> running = new ConcurrentHashMap<>();
    /** Counts {@link #forgetAll}s, so that a search that began before one is not kept after it. */
    private long generation;

    /** The kept results for {@code query}, or {@code search}'s, run on this thread and kept when it succeeds. */
    List<SearchResult> get(String query, Function<String, List<SearchResult>> search) {
        List<SearchResult> kept = results.getIfPresent(query);
        if (kept != null) {
            return kept;
        }
        CompletableFuture<List<SearchResult>> mine = new CompletableFuture<>();
        CompletableFuture<List<SearchResult>> theirs = running.putIfAbsent(query, mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        long began = generation();
        try {
            List<SearchResult> found = search.apply(query);
            keep(query, found, began);
            mine.complete(found);
            return found;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(query, mine);
        }
    }

    synchronized void forgetAll() {
        generation++;
        results.invalidateAll();
    }

    private synchronized long generation() {
        return generation;
    }

    private synchronized void keep(String query, List<SearchResult> found, long began) {
        if (generation == began) {
            results.put(query, found);
        }
    }
}
