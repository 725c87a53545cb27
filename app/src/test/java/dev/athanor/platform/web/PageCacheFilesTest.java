package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page cache keeps its files for nginx true on the paths no request takes: a page the byte budget evicts loses
 * its files, a page past its lifetime keeps them while the database is unreachable (nginx serves it stale, as the site
 * does) and loses them once it is back, and a page that cannot be written leaves no file behind.
 */
class PageCacheFilesTest {

    private final Path folder = TestPostgres.newDirectory("pages");
    private final DatabaseOutage outage = new DatabaseOutage();

    @Test
    void pagesTheByteBudgetEvictsLoseTheirFiles() throws Exception {
        PageCache cache = cache(40_000, Duration.ofMinutes(5));
        cache.start();
        for (int i = 0; i < 8; i++) {
            cache.cached("/articles/page-" + i, "text/html; charset=utf-8", Set.of("articles"), this::tenKilobytes);
        }
        await(() -> files().size() <= 2, "at most the two pages 40,000 bytes hold have files");
        cache.settleFiles();
        List<String> cached = IntStream.range(0, 8).mapToObj(i -> "/articles/page-" + i)
                .filter(path -> cache.hit(path, null) != null).toList();
        assertThat(files()).as("exactly the cached pages have files")
                .containsExactlyInAnyOrderElementsOf(cached.stream()
                        .map(path -> folder.resolve(path.substring(1) + ".html")).toList());
        cache.stop();
        assertThat(files()).isEmpty();
    }

    @Test
    void aStalePageKeepsItsFilesWhileTheDatabaseIsUnreachableAndLosesThemOnceItIsBack() throws Exception {
        PageCache cache = cache(1 << 20, Duration.ofMillis(50));
        cache.cached("/courses/intro", "text/html; charset=utf-8", Set.of("course:intro"), this::tenKilobytes);
        cache.settleFiles();
        Path page = folder.resolve("courses/intro.html");
        assertThat(page).exists();
        Thread.sleep(100);

        outage.noticed("the test stopped it");
        cache.sweepFiles();
        cache.settleFiles();
        assertThat(page).as("past its lifetime while the database is away: nginx goes on serving it").exists();
        assertThat(cache.cached("/courses/intro", "text/html", Set.of(), () -> {
            throw new IllegalStateException(new java.sql.SQLException("refused", "08001"));
        })).as("the site serves the same stale page").isNotNull();

        outage.reachable();
        cache.sweepFiles();
        cache.settleFiles();
        assertThat(page).as("the database is back: the next visitor gets it rendered again").doesNotExist();
        assertThat(folder.resolve("courses/intro.html.gz")).doesNotExist();
    }

    @Test
    void aPageThatCannotBeWrittenLeavesNoFileAndIsStillServed() throws Exception {
        PageCache cache = cache(1 << 20, Duration.ofMinutes(5));
        Files.writeString(folder.resolve("courses"), "a file where the folder would go");
        CachedPage page = cache.cached("/courses/intro", "text/html", Set.of(), this::tenKilobytes);
        cache.settleFiles();
        assertThat(page).isNotNull();
        assertThat(files()).containsExactly(folder.resolve("courses"));
    }

    @Test
    void startingAndStoppingDeleteThePageFilesAndNothingElse() throws Exception {
        for (String name : List.of("courses/old.html", "courses/old.html.gz", "courses/old.html.br",
                "courses/old.html.tmp-12", ".html", "index.html", "notes.txt", "data/PG_VERSION")) {
            Files.createDirectories(folder.resolve(name).getParent());
            Files.writeString(folder.resolve(name), name);
        }
        PageCache cache = cache(1 << 20, Duration.ofMinutes(5));
        cache.start();
        try (Stream<Path> left = Files.walk(folder)) {
            assertThat(left.filter(path -> !path.equals(folder)).map(folder::relativize).map(Path::toString))
                    .as("a folder set by mistake to one holding other files keeps them")
                    .containsExactlyInAnyOrder("notes.txt", "data", "data/PG_VERSION");
        }
        cache.stop();
        assertThat(folder.resolve("data/PG_VERSION")).exists();
    }

    private PageCache cache(long bytes, Duration lifetime) {
        return new PageCache(bytes, lifetime, Viewers.ANONYMOUS, path -> { }, new MetricRegistry(), outage,
                new PageFiles(folder));
    }

    /** Ten kilobytes gzip hardly shrinks, so that the byte budget counts each page near its size. */
    private byte[] tenKilobytes() {
        StringBuilder page = new StringBuilder("<p>");
        java.util.Random random = new java.util.Random(folder.hashCode() + System.nanoTime());
        while (page.length() < 10_000) {
            page.append(Long.toString(random.nextLong(), 36));
        }
        return page.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The page files but the gzip copies, walked again when one is deleted while being walked. */
    private List<Path> files() {
        while (true) {
            try (Stream<Path> files = Files.walk(folder)) {
                return files.filter(Files::isRegularFile).filter(file -> !file.toString().endsWith(".gz")).toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
