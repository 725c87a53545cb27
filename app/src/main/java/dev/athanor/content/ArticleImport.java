package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.ArticleSource;
import dev.athanor.content.ContentSnapshot.TagSource;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** Writes one article of a content folder, with its tags, inside the import's transaction. */
final class ArticleImport {

    private final RenderedMarkdown markdown;

    ArticleImport(RenderedMarkdown markdown) {
        this.markdown = markdown;
    }

    void apply(Handle handle, ArticleSource article, ImportLedger ledger) {
        Instant published = ImportLedger.instant(article.published());
        String tags = String.join(",", article.tags().stream().map(tag -> tag.slug() + "=" + tag.name()).toList());
        String hash = ImportLedger.hash(article.title(), article.summary(), article.bodyMarkdown(), tags,
                String.valueOf(published));
        ImportLedger.Existing existing = ledger.find(handle, "article", article.slug(), article.oldSlugs(), null);
        if (!existing.changed(hash) && !existing.renamed()) {
            ledger.unchanged();
            ledger.redirect(handle, "article", article.oldSlugs(), existing.id());
            return;
        }
        String text = markdown.render(article.bodyMarkdown()).text();
        long id = handle.createQuery("""
                INSERT INTO article (id, slug, title, summary, body_markdown, body_text, published_at, source_hash)
                VALUES (coalesce(:id, nextval('article_id_seq')), :slug, :title, :summary, :body, :text, :published,
                        :hash)
                ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title,
                    summary = EXCLUDED.summary, body_markdown = EXCLUDED.body_markdown, body_text = EXCLUDED.body_text,
                    published_at = EXCLUDED.published_at, source_hash = EXCLUDED.source_hash, updated_at = now()
                RETURNING id""")
                .bind("id", existing.id()).bind("slug", article.slug()).bind("title", article.title())
                .bind("summary", article.summary()).bind("body", article.bodyMarkdown()).bind("text", text)
                .bind("published", published).bind("hash", hash).mapTo(Long.class).one();
        if (existing.id() == null) {
            ledger.created("article", article.slug(), "\"" + article.title() + "\"" + (published == null
                    ? " (draft)" : ""));
        } else {
            ledger.updated(existing, "article", article.slug(), published);
        }
        handle.createUpdate("DELETE FROM article_tag WHERE article_id = :id").bind("id", id).execute();
        for (TagSource tag : article.tags()) {
            handle.createUpdate("""
                    INSERT INTO tag (slug, name) VALUES (:slug, :name)
                    ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name""")
                    .bind("slug", tag.slug()).bind("name", tag.name()).execute();
            handle.createUpdate("""
                    INSERT INTO article_tag (article_id, tag_id) SELECT :article, id FROM tag WHERE slug = :slug
                    ON CONFLICT DO NOTHING""").bind("article", id).bind("slug", tag.slug()).execute();
        }
        ledger.redirect(handle, "article", article.oldSlugs(), id);
    }
}
