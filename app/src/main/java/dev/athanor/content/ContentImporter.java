package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.ArticleSource;
import dev.athanor.content.ContentSnapshot.CourseSource;
import dev.athanor.media.Media;
import dev.athanor.platform.web.PageCacheInvalidation;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Imports a content folder: reads and checks every file first, then upserts everything by slug in one transaction,
 * so a bad file (with its name and line in the error) leaves the site exactly as it was. Items the folder no longer
 * has are unpublished, never deleted, so learners' progress survives. The transaction also announces which pages
 * changed, so every node's page cache drops them when it commits. A dry run does all of this and rolls back.
 */
final class ContentImporter {

    private final Jdbi jdbi;
    private final CourseImport courses;
    private final ArticleImport articles;
    private final Consumer<Set<String>> changedLocally;

    /** @param changedLocally told the changed page keys after a commit, so this node drops them at once */
    ContentImporter(Jdbi jdbi, Media media, RenderedMarkdown markdown, Consumer<Set<String>> changedLocally) {
        this.jdbi = jdbi;
        this.courses = new CourseImport(media, markdown);
        this.articles = new ArticleImport(markdown);
        this.changedLocally = changedLocally;
    }

    ImportReport run(Path folder, boolean dryRun) throws ContentImportException {
        ContentSnapshot snapshot = ContentFolder.read(folder);
        ImportLedger ledger = new ImportLedger();
        try {
            jdbi.useTransaction(handle -> {
                handle.execute("SET CONSTRAINTS lesson_position_unique DEFERRED");
                for (CourseSource course : snapshot.courses()) {
                    courses.apply(handle, course, ledger, dryRun);
                }
                unpublishMissing(handle, "course", snapshot.courses().stream().map(CourseSource::slug).toList(),
                        ledger);
                for (ArticleSource article : snapshot.articles()) {
                    articles.apply(handle, article, ledger);
                }
                unpublishMissing(handle, "article", snapshot.articles().stream().map(ArticleSource::slug).toList(),
                        ledger);
                if (dryRun) {
                    handle.rollback();
                } else if (!ledger.pageKeys().isEmpty()) {
                    PageCacheInvalidation.announce(handle, ledger.pageKeys());
                }
            });
        } catch (CourseImport.Failure failure) {
            throw failure.problem();
        }
        if (!dryRun && !ledger.pageKeys().isEmpty()) {
            changedLocally.accept(ledger.pageKeys());
        }
        return ledger.report(!dryRun);
    }

    private static void unpublishMissing(Handle handle, String kind, List<String> present, ImportLedger ledger) {
        String noted = kind.equals("course") ? ", " + SyncCatalogue.noteUnpublishing("NULL") : "";
        handle.createQuery("UPDATE " + kind + " SET published_at = NULL, updated_at = now()" + noted
                + " WHERE published_at IS NOT NULL AND slug <> ALL(:slugs) RETURNING slug")
                .bind("slugs", present.toArray(new String[0])).mapTo(String.class).list()
                .forEach(slug -> ledger.unpublished(kind, slug));
    }
}
