INSERT INTO course (id, slug, title, summary, description_markdown, cover_image, position, published_at, source_hash)
VALUES (coalesce(:id, nextval('course_id_seq')), :slug, :title, :summary, :description, :cover, :position,
        :published, :hash)
ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, summary = EXCLUDED.summary,
    description_markdown = EXCLUDED.description_markdown, cover_image = EXCLUDED.cover_image,
    position = EXCLUDED.position, published_at = EXCLUDED.published_at, source_hash = EXCLUDED.source_hash,
    updated_at = now(),
    unpublished_at = CASE WHEN course.published_at <= now()
                               AND (EXCLUDED.published_at IS NULL OR EXCLUDED.published_at > now())
                          THEN now() ELSE course.unpublished_at END
RETURNING id
