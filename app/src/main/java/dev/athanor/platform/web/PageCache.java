package dev.athanor.platform.web;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.athanor.platform.Sha256;
import io.dropwizard.lifecycle.Managed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Anonymous GET responses of content pages, kept in memory and bounded by the bytes they hold. Each page is stored
 * with a gzipped copy at the fastest level (replaced by one at the best level, made off the request for the first
 * client sent gzip) and a Brotli copy made off the request for the first client that accepts it, its ETag and
 * Last-Modified,
 * and the content it depends on ({@code course:intro}, {@code articles}, ...); a content change invalidates exactly the pages that depend on what changed. Requests that
 * may come from a signed-in viewer never read or fill it.
 *
 * <p>Hits are answered by {@link PageCacheHandler} in front of the whole framework; misses reach the resource, which
 * renders and stores the page through {@link #respond}. Both count as page views.
 *
 * <p>A page past its lifetime is rendered again, unless the database cannot be reached: then it is served as it is
 * (stale-if-error), by the handler at once while a {@link DatabaseOutage} is on, and by {@link #respond} or
 * {@link #stale} when rendering it failed for that reason. Such pages stay until the byte budget evicts them, a change
 * drops them, or they are rendered again. Metrics: {@code dev.athanor.platform.web.page-cache.hits}, {@code .misses},
 * {@code .stale} (answers from pages past their lifetime), {@code .bytes}, {@code .entries}.
 *
 * <p>With {@link PageFiles} (site.pageFiles), the cache also keeps its HTML pages as files for nginx: written with the
 * entry, deleted with it (a change, the byte budget), and deleted within {@link #SWEEP_SECONDS} of the page's
 * lifetime unless the database is unreachable. Each change is queued under the entry's own lock to one thread that
 * does them in order, so the files follow the entries in the order they changed, and no request waits for the disk.
 * As a lifecycle object it empties the folder when the site starts and stops.
 */
public final class PageCache implements Managed {

    /** How often pages past their lifetime lose their files. */
    static final int SWEEP_SECONDS = 5;

    static final HttpField CACHE_CONTROL = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, no-cache");
    static final HttpField VARY = new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding, Cookie");
    /** HTTP's IMF-fixdate, with its two-digit day (RFC 1123's formatter writes "7 Dec"). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final Cache<String, CachedPage> pages;
    private final Viewers viewers;
    private final Consumer<String> pageViews;
    private final Meter hits;
    private final Meter misses;
    private final Meter staleAnswers;
    private final long lifetimeNanos;
    private final DatabaseOutage outage;
    /** The pages' files for nginx; null when nginx asks the site for every page. */
    private final PageFiles files;
    /** The one thread that writes and deletes the files, in the order queued, and sweeps; null without files. */
    private final ScheduledExecutorService fileWork;
    private volatile Runnable alsoDerived = () -> { };
    /**
     * Makes the pages' best gzip copies and their Brotli copies, one page at a time, off the requests that want them:
     * a request that renders a page waits only for the fast gzip copy.
     */
    private final ThreadPoolExecutor compression = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(256), runnable -> {
                Thread thread = new Thread(runnable, "page-cache-compression");
                thread.setDaemon(true);
                return thread;
            });

    /**
     * @param maximumBytes what the cache may hold, plain and gzipped bytes together
     * @param lifetime how long a page is kept at most (items scheduled for later publication appear within it)
     * @param pageViews told the path of every page served, from the cache or not
     * @param outage whether the database is reachable, for pages past their lifetime
     * @param files where to keep the pages as files for nginx; null for none
     */
    PageCache(long maximumBytes, Duration lifetime, Viewers viewers, Consumer<String> pageViews,
            MetricRegistry metrics, DatabaseOutage outage, PageFiles files) {
        this.files = files;
        this.fileWork = files == null ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "page-files");
            thread.setDaemon(true);
            return thread;
        });
        // No expiry in Caffeine: a page past its lifetime stays, to be served while the database is unreachable.
        this.pages = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .weigher((String key, CachedPage page) -> page.weight())
                .evictionListener((String key, CachedPage page, RemovalCause cause) ->
                        fileChange(() -> files.remove(key)))
                .build();
        this.lifetimeNanos = lifetime.toNanos();
        this.outage = outage;
        this.viewers = viewers;
        this.pageViews = pageViews;
        String prefix = "dev.athanor.platform.web.page-cache";
        this.hits = metrics.meter(prefix + ".hits");
        this.misses = metrics.meter(prefix + ".misses");
        this.staleAnswers = metrics.meter(prefix + ".stale");
        metrics.register(prefix + ".entries", (Gauge<Long>) pages::estimatedSize);
        metrics.register(prefix + ".bytes", (Gauge<Long>) () -> pages.policy().eviction()
                .flatMap(eviction -> eviction.weightedSize().stream().boxed().findFirst()).orElse(0L));
    }

    /**
     * The cached page for a request's path and query, counting the hit; null when there is none, or when it is past
     * its lifetime and the database is believed reachable (so that the resource renders it again).
     */
    CachedPage hit(String path, String query) {
        CachedPage page = pages.getIfPresent(key(path, query));
        if (page == null) {
            return null;
        }
        if (!fresh(page)) {
            if (!outage.isDown()) {
                return null;
            }
            outage.servedStaleWhileDown();
            staleAnswers.mark();
        }
        hits.mark();
        pageViews.accept(path);
        return page;
    }

    private boolean fresh(CachedPage page) {
        return page.freshAt(System.nanoTime(), lifetimeNanos);
    }

    Viewers viewers() {
        return viewers;
    }

    /**
     * The response for a page, from the cache or rendered now: anonymous GET and HEAD requests get the shared copy
     * (rendered at most once however many ask at the same time), others a private rendering.
     *
     * @param dependencies what the page shows, for invalidation
     * @param render produces the page's bytes
     */
    public Response respond(HttpServletRequest request, String contentType, Set<String> dependencies,
            Supplier<byte[]> render) {
        String key = key(request);
        boolean cacheable = ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && !viewers.maySignIn(request::getHeader);
        pageViews.accept(request.getRequestURI());
        if (!cacheable) {
            return Response.ok(render.get(), contentType).header("Cache-Control", "private, no-cache").build();
        }
        return response(request, cached(key, contentType, dependencies, render));
    }

    /**
     * The page stored under {@code key}, rendered and stored now (with its files) when there is none within its
     * lifetime; the older copy when rendering failed because the database is unreachable.
     */
    CachedPage cached(String key, String contentType, Set<String> dependencies, Supplier<byte[]> render) {
        CachedPage page = pages.getIfPresent(key);
        if (page != null && fresh(page)) {
            hits.mark();
            return page;
        }
        misses.mark();
        try {
            return pages.asMap().compute(key, (ignored, current) -> current != null && fresh(current) ? current
                    : withFiles(key, store(render.get(), contentType, dependencies)));
        } catch (RuntimeException e) {
            Optional<String> unreachable = DatabaseOutage.unreachable(e);
            if (page == null || unreachable.isEmpty()) {
                throw e;
            }
            outage.servedStale(unreachable.get());
            staleAnswers.mark();
            return page;
        }
    }

    /**
     * The cached copy of the page a request asks for, however old, for an anonymous GET or HEAD whose resource failed
     * because the database is unreachable ({@code reason}); empty when there is none.
     */
    Optional<Response> stale(HttpServletRequest request, String reason) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())
                || viewers.maySignIn(request::getHeader)) {
            return Optional.empty();
        }
        CachedPage page = pages.getIfPresent(key(request));
        if (page == null) {
            return Optional.empty();
        }
        outage.servedStale(reason);
        staleAnswers.mark();
        return Optional.of(response(request, page));
    }

    private Response response(HttpServletRequest request, CachedPage page) {
        CachedPage.Coding coding = coding(key(request), page, request.getHeader("Accept-Encoding"));
        if (page.notModified(request.getHeader("If-None-Match"), request.getDateHeader("If-Modified-Since"))) {
            return Response.notModified().header("ETag", page.etag(coding)).header("Cache-Control", "public, no-cache")
                    .header("Vary", "Accept-Encoding, Cookie").build();
        }
        Response.ResponseBuilder response = Response.ok(page.bytes(coding));
        for (HttpField field : page.headers(coding)) {
            if (field.getHeader() != HttpHeader.CONTENT_LENGTH) {
                response.header(field.getName(), field.getValue());
            }
        }
        return response.build();
    }

    /** Drops every page that depends on any of {@code changed}. */
    public void invalidate(Collection<String> changed) {
        alsoDerived.run();
        if (changed.contains("*")) {
            dropWhere(page -> true);
            return;
        }
        dropWhere(page -> page.dependencies().stream().anyMatch(changed::contains));
    }

    /** Drops every page. */
    public void invalidateAll() {
        alsoDerived.run();
        dropWhere(page -> true);
    }

    /**
     * Drops the pages {@code dropped} picks, and their files, each under its entry's lock: a copy the compression
     * thread puts in meanwhile cannot keep a page (Caffeine's {@code removeIf} removes an entry only if it still holds
     * the value it tested, and silently keeps it otherwise).
     */
    private void dropWhere(Predicate<CachedPage> dropped) {
        for (String key : pages.asMap().keySet()) {
            pages.asMap().computeIfPresent(key, (ignored, page) -> {
                if (!dropped.test(page)) {
                    return page;
                }
                fileChange(() -> files.remove(key));
                return null;
            });
        }
    }

    private CachedPage withFiles(String key, CachedPage page) {
        fileChange(() -> files.write(key, page));
        return page;
    }

    /**
     * Queues a change to the files; nothing without files, and nothing once stopping, since the folder is emptied
     * then.
     */
    private void fileChange(Runnable change) {
        if (fileWork == null) {
            return;
        }
        try {
            fileWork.execute(change);
        } catch (RejectedExecutionException stopping) {
            // the folder is emptied when the site stops
        }
    }

    /** Waits until the file changes queued so far are done. */
    void settleFiles() throws InterruptedException, ExecutionException {
        if (fileWork != null) {
            fileWork.submit(() -> { }).get();
        }
    }

    /** Empties the files' folder, and has pages past their lifetime lose their files from now on. */
    @Override
    public void start() {
        if (files == null) {
            return;
        }
        files.clear();
        fileWork.scheduleWithFixedDelay(this::sweepFiles, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /** Empties the files' folder: once this instance stops, nothing keeps them true. */
    @Override
    public void stop() throws InterruptedException {
        if (files == null) {
            return;
        }
        fileWork.shutdown(); // what is queued is done first; the sweep is not run again
        fileWork.awaitTermination(10, TimeUnit.SECONDS);
        files.clear();
    }

    /**
     * Deletes the files of pages past their lifetime (their entries stay, for stale-if-error), unless the database is
     * unreachable: then nginx goes on serving them, as the site does.
     */
    void sweepFiles() {
        if (outage.isDown()) {
            return;
        }
        for (String key : pages.asMap().keySet()) {
            CachedPage seen = pages.getIfPresent(key);
            if (seen != null && !fresh(seen)) {
                pages.asMap().computeIfPresent(key, (ignored, page) -> {
                    if (!fresh(page)) {
                        fileChange(() -> files.remove(key));
                    }
                    return page;
                });
            }
        }
    }

    /**
     * Has {@code forget} run whenever pages are dropped for a change, on this node or announced by another: for what
     * else is derived from all the content (search results) and cannot say which pages it depends on.
     */
    public void whenInvalidated(Runnable forget) {
        this.alsoDerived = forget;
    }

    /**
     * The coding to send {@code page} in to a client that sent {@code accepted}. Each better copy is made for the
     * first client that could use it, for those after: the Brotli copy for the first that accepts Brotli, the best
     * gzip copy for the first sent the fast one. Pages nobody asks for compressed cost no more than the fast copy.
     */
    CachedPage.Coding coding(String key, CachedPage page, String accepted) {
        if (page.firstToWantBrotli(accepted)
                && !compressLater(key, page, CachedPage.Coding.BROTLI, () -> Brotli.compress(
                        page.bytes(CachedPage.Coding.IDENTITY)).orElse(null))) {
            page.brotliNotMade(); // many pages at once: a later client asks again
        }
        CachedPage.Coding coding = page.coding(accepted);
        if (page.firstToGetFastGzip(coding) && !compressLater(key, page, CachedPage.Coding.GZIP,
                () -> Gzip.compress(page.bytes(CachedPage.Coding.IDENTITY)))) {
            page.bestGzipNotMade();
        }
        return coding;
    }

    /**
     * Makes a compressed copy of {@code page} on the compression thread ({@code compress} gives its bytes, or null
     * when it cannot be made; a best-quality Brotli of a 30 KB page takes tens of milliseconds, which no request
     * should wait for) and puts it in the entry, with its file, unless the page was rendered again or
     * dropped meanwhile; whatever other copy was made meanwhile is kept. False when too many pages wait already:
     * the page keeps the copies it has.
     */
    private boolean compressLater(String key, CachedPage page, CachedPage.Coding coding, Supplier<byte[]> compress) {
        try {
            compression.execute(() -> {
                byte[] compressed = compress.get();
                if (compressed == null) {
                    return;
                }
                pages.asMap().computeIfPresent(key, (ignored, current) -> {
                    if (!current.sameRendering(page)) {
                        return current; // rendered again or dropped meanwhile
                    }
                    CachedPage updated = coding == CachedPage.Coding.BROTLI ? current.withBrotli(compressed)
                            : current.withBestGzip(compressed);
                    fileChange(() -> files.writeCopy(key, updated, coding));
                    return updated;
                });
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Waits until the copies queued for compression so far are made. */
    void settleCompression() throws InterruptedException, ExecutionException {
        compression.submit(() -> { }).get();
    }

    static String key(HttpServletRequest request) {
        return key(request.getRequestURI(), request.getQueryString());
    }

    /**
     * The cache key of a request: its path, plus {@code page=N} when asked for (the only parameter a cached page
     * reads). Other parameters (tracking tags, cache busters) neither split the cache nor let a stranger fill it.
     */
    static String key(String path, String query) {
        if (query == null || query.isEmpty()) {
            return path;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("page=")) {
                return path + "?" + parameter;
            }
        }
        return path;
    }

    private static CachedPage store(byte[] plain, String contentType, Set<String> dependencies) {
        Instant now = Instant.now();
        String etag = "\"" + Sha256.hex(plain).substring(0, 24) + "\"";
        return new CachedPage(plain, Gzip.compressFast(plain), etag, HTTP_DATE.format(now), now.toEpochMilli(),
                contentType, dependencies, System.nanoTime());
    }
}
