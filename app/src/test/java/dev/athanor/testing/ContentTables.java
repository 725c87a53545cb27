package dev.athanor.testing;

import dev.athanor.platform.db.LearnerChanges;

/** Empties the content tables between tests that share a database, and the page cache with them. */
public final class ContentTables {

    private ContentTables() {
    }

    /**
     * Empties the content and learner tables and what {@code site} keeps of them, at once (the database also tells
     * it, a moment later).
     */
    public static void empty(TestDatabase database, TestSite site) {
        database.jdbi().useHandle(handle -> handle.execute("""
                TRUNCATE course, lesson, article, tag, article_tag, slug_redirect, video, lesson_progress,
                         entitlement, learner, event, page_view_daily RESTART IDENTITY CASCADE"""));
        site.pageCache().invalidateAll();
        site.learnerChanges().heard(LearnerChanges.EVERYTHING);
    }
}
