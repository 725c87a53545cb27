package dev.athanor.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code api_token} table: each token's owner, kind, name and SHA-256 (never the token itself). */
interface ApiTokenDao {

    /** A live token found by its hash. */
    record Found(long id, long learnerId, Instant lastUsedAt) {
    }

    @SqlQuery("SELECT count(*) FROM api_token WHERE learner_id = :learner AND kind = :kind AND revoked_at IS NULL")
    int live(@Bind("learner") long learnerId, @Bind("kind") String kind);

    @SqlQuery("""
            INSERT INTO api_token (learner_id, kind, name, token_hash, hint)
            VALUES (:learner, :kind, :name, :hash, :hint) RETURNING id""")
    long insert(@Bind("learner") long learnerId, @Bind("kind") String kind, @Bind("name") String name,
            @Bind("hash") byte[] hash, @Bind("hint") String hint);

    /** The learner's live tokens, newest first, as their list shows them. */
    @SqlQuery("""
            SELECT id, kind, name, hint, to_char(created_at, 'YYYY-MM-DD') AS created_at,
                   coalesce(to_char(last_used_at, 'YYYY-MM-DD HH24:MI'), 'never') AS last_used_at
            FROM api_token WHERE learner_id = :learner AND revoked_at IS NULL
            ORDER BY api_token.created_at DESC, id DESC""")
    @RegisterConstructorMapper(ApiTokens.Listed.class)
    List<ApiTokens.Listed> list(@Bind("learner") long learnerId);

    @SqlUpdate("""
            UPDATE api_token SET revoked_at = now()
            WHERE id = :id AND learner_id = :learner AND revoked_at IS NULL""")
    int revoke(@Bind("learner") long learnerId, @Bind("id") long tokenId);

    @SqlQuery("""
            SELECT id, learner_id, last_used_at FROM api_token
            WHERE token_hash = :hash AND kind = :kind AND revoked_at IS NULL""")
    @RegisterConstructorMapper(Found.class)
    Optional<Found> find(@Bind("hash") byte[] hash, @Bind("kind") String kind);

    @SqlUpdate("UPDATE api_token SET last_used_at = :now WHERE id = :id")
    void used(@Bind("id") long tokenId, @Bind("now") Instant now);
}
