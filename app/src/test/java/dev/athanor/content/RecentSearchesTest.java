package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.content.Pages.SearchResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One search for many who ask at once; nothing kept from a failure; a slow query holds up no other query. */
class RecentSearchesTest {

    private final RecentSearches recent = new RecentSearches();
    private final AtomicInteger searches = new AtomicInteger();

    @Test
    void manyAskingAtOnceCostOneSearchUntilForgotten() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch asking = new CountDownLatch(8);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<CompletableFuture<List<SearchResult>>> askers = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    asking.countDown();
                    return recent.get("java", query -> {
                        searches.incrementAndGet();
                        await(release);
                        return List.of(result(query));
                    });
                }, threads)).toList();
        threads.shutdown();
        asking.await(5, TimeUnit.SECONDS);
        Thread.sleep(200);
        release.countDown();
        assertThat(askers).allSatisfy(asker -> assertThat(asker.get(5, TimeUnit.SECONDS)).hasSize(1));
        assertThat(searches).hasValue(1);

        recent.forgetAll();
        recent.get("java", this::counted);
        assertThat(searches).as("searched again once forgotten").hasValue(2);
    }

    @Test
    void aFailedSearchIsNotKept() {
        assertThatThrownBy(() -> recent.get("slow", query -> {
            throw new SearchTimeoutException(query, java.time.Duration.ofSeconds(2));
        })).isInstanceOf(SearchTimeoutException.class);
        assertThat(recent.get("slow", this::counted)).hasSize(1);
    }

    @Test
    void aSlowSearchHoldsUpNoOtherQuery() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<SearchResult>> slow = CompletableFuture.supplyAsync(() -> recent.get("slow",
                query -> {
                    await(release);
                    return List.of(result(query));
                }));
        Thread.sleep(100);
        for (int i = 0; i < 300; i++) {
            recent.get("other " + i, this::counted);
        }
        assertThat(slow).isNotDone();
        release.countDown();
        assertThat(slow.get(5, TimeUnit.SECONDS)).hasSize(1);
    }

    private List<SearchResult> counted(String query) {
        searches.incrementAndGet();
        return List.of(result(query));
    }

    private static SearchResult result(String query) {
        return new SearchResult("article", query, "/articles/" + query.replace(' ', '-'), query, "Article");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
