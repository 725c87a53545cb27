package dev.athanor.content;

import dev.athanor.platform.FailureStreak;
import dev.athanor.platform.web.PageCache;
import io.dropwizard.lifecycle.Managed;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes scheduled items appear on time. An item imported with a publication date still to come becomes public when
 * that moment passes, which changes no row, so no NOTIFY announces it; every node looks every
 * {@value #INTERVAL_SECONDS} seconds whether a course, lesson or article became public since its last look, and drops
 * its cached pages when one did. Times are the database's, so the nodes' clocks do not matter.
 */
final class PublicationClock implements Managed {

    static final int INTERVAL_SECONDS = 15;
    private static final Logger LOGGER = LoggerFactory.getLogger(PublicationClock.class);

    private final Jdbi jdbi;
    private final PageCache cache;
    private final FailureStreak looks = new FailureStreak(LOGGER,
            "Could not look for content published on schedule (looking every " + INTERVAL_SECONDS + " s)");
    private OffsetDateTime lastLook;
    private ScheduledExecutorService executor;

    PublicationClock(Jdbi jdbi, PageCache cache) {
        this.jdbi = jdbi;
        this.cache = cache;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "publication-clock");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::tickQuietly, 0, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * Drops the cached pages if anything became public since the last look (the first look only notes the time);
     * returns whether it did.
     */
    synchronized boolean tick() {
        if (lastLook == null) {
            lastLook = jdbi.withExtension(CatalogDao.class, CatalogDao::now);
            return false;
        }
        CatalogDao.Look look = jdbi.withExtension(CatalogDao.class, dao -> dao.lookSince(lastLook));
        lastLook = look.looked();
        if (look.due()) {
            LOGGER.info("Scheduled content became public; the page cache is dropped");
            cache.invalidateAll();
        }
        return look.due();
    }

    private void tickQuietly() {
        try {
            tick();
            looks.succeeded();
        } catch (RuntimeException e) {
            looks.failed(e.toString());
        }
    }
}
