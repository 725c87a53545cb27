package dev.athanor.testing;

import dev.athanor.platform.web.PageCache;

/** Empties the content tables between tests that share a database, and the page cache with them. */
public final class ContentTables {

    private ContentTables() {
    }

    public static void empty(TestDatabase database, PageCache cache) {
        database.jdbi().useHandle(handle -> handle.execute("""
                TRUNCATE course, lesson, article, tag, article_tag, slug_redirect, video, lesson_progress,
                         entitlement, learner, event, page_view_daily RESTART IDENTITY CASCADE"""));
        cache.invalidateAll();
    }
}
