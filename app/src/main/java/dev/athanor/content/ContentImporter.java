package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.ArticleSource;
import dev.athanor.content.ContentSnapshot.CourseSource;
import dev.athanor.media.Media;
import dev.athanor.platform.web.PageCacheInvalidation;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
                ImportDao dao = handle.attach(ImportDao.class);
                dao.deferLessonPositions();
                for (CourseSource course : snapshot.courses()) {
                    courses.apply(dao, course, ledger, dryRun);
                }
                dao.unpublishCoursesNotIn(slugs(snapshot.courses().stream().map(CourseSource::slug)))
                        .forEach(slug -> ledger.unpublished("course", slug));
                for (ArticleSource article : snapshot.articles()) {
                    articles.apply(dao, article, ledger);
                }
                dao.unpublishArticlesNotIn(slugs(snapshot.articles().stream().map(ArticleSource::slug)))
                        .forEach(slug -> ledger.unpublished("article", slug));
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

    private static String[] slugs(Stream<String> slugs) {
        return slugs.toArray(String[]::new);
    }
}
