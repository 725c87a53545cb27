package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.ArticleSource;
import dev.athanor.content.ContentSnapshot.TagSource;
import java.time.Instant;

/** Writes one article of a content folder, with its tags, inside the import's transaction. */
final class ArticleImport {

    private final RenderedMarkdown markdown;

    ArticleImport(RenderedMarkdown markdown) {
        this.markdown = markdown;
    }

    void apply(ImportDao dao, ArticleSource article, ImportLedger ledger) {
        Instant published = ImportLedger.instant(article.published());
        String tags = String.join(",", article.tags().stream().map(tag -> tag.slug() + "=" + tag.name()).toList());
        String hash = ImportLedger.hash(article.title(), article.summary(), article.bodyMarkdown(), tags,
                String.valueOf(published));
        ImportLedger.Existing existing = ledger.find(dao, "article", article.slug(), article.oldSlugs(), null);
        if (!existing.changed(hash) && !existing.renamed()) {
            ledger.unchanged();
            ledger.redirect(dao, "article", article.oldSlugs(), existing.id());
            return;
        }
        String text = markdown.render(article.bodyMarkdown()).text();
        long id = dao.upsertArticle(existing.id(), article.slug(), article.title(), article.summary(),
                article.bodyMarkdown(), text, published, hash);
        if (existing.id() == null) {
            ledger.created("article", article.slug(), "\"" + article.title() + "\"" + (published == null
                    ? " (draft)" : ""));
        } else {
            ledger.updated(existing, "article", article.slug(), published);
        }
        dao.untagArticle(id);
        for (TagSource tag : article.tags()) {
            dao.saveTag(tag.slug(), tag.name());
            dao.tagArticle(id, tag.slug());
        }
        ledger.redirect(dao, "article", article.oldSlugs(), id);
    }
}
