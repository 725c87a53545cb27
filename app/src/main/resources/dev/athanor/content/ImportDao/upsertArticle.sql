INSERT INTO article (id, slug, title, summary, body_markdown, body_text, published_at, source_hash)
VALUES (coalesce(:id, nextval('article_id_seq')), :slug, :title, :summary, :body, :text, :published, :hash)
ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, summary = EXCLUDED.summary,
    body_markdown = EXCLUDED.body_markdown, body_text = EXCLUDED.body_text, published_at = EXCLUDED.published_at,
    source_hash = EXCLUDED.source_hash, updated_at = now()
RETURNING id
