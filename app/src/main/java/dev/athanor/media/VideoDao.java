package dev.athanor.media;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The stored videos ({@code video}), one row per file in the media store. */
@RegisterConstructorMapper(Video.class)
interface VideoDao {

    String VIDEO = "id, storage_key AS key, content_type, size_bytes, sha256, duration_seconds";

    /** Records a stored file (again: a file already known keeps its row and takes the new duration). */
    @SqlQuery("""
            INSERT INTO video (storage_key, content_type, size_bytes, sha256, duration_seconds)
            VALUES (:key, :contentType, :sizeBytes, :sha256, :durationSeconds)
            ON CONFLICT (storage_key) DO UPDATE SET duration_seconds = EXCLUDED.duration_seconds
            RETURNING id, storage_key AS key, content_type, size_bytes, sha256, duration_seconds""")
    Video save(String key, String contentType, long sizeBytes, String sha256, int durationSeconds);

    @SqlQuery("SELECT " + VIDEO + " FROM video WHERE id IN (<ids>)")
    List<Video> videos(@BindList("ids") List<Long> ids);
}
