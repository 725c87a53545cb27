INSERT INTO lesson (id, course_id, slug, title, position, notes_markdown, notes_text, video_id, free_preview,
                    published_at, source_hash)
VALUES (coalesce(:id, nextval('lesson_id_seq')), :courseId, :slug, :title, :position, :notes, :text, :videoId,
        :free, :published, :hash)
ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, position = EXCLUDED.position,
    notes_markdown = EXCLUDED.notes_markdown, notes_text = EXCLUDED.notes_text, video_id = EXCLUDED.video_id,
    free_preview = EXCLUDED.free_preview, published_at = EXCLUDED.published_at,
    source_hash = EXCLUDED.source_hash, updated_at = now()
RETURNING id
