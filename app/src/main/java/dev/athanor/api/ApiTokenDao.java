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

    /** A live token found by its hash, and whether its bucket had a request to take. */
    record Found(long id, long learnerId, Instant lastUsedAt, boolean allowed) {
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

    /**
     * The live token with this hash, taking one request from its bucket ({@code api_rate_bucket}, refilled to
     * {@code now} at {@code perSecond} up to {@code burst}) in the same statement, so the rate limit costs no
     * round trip of its own.
     */
    @SqlQuery("""
            WITH token AS (
                SELECT id, learner_id, last_used_at FROM api_token
                WHERE token_hash = :hash AND kind = :kind AND revoked_at IS NULL
            ), taken AS (
                INSERT INTO api_rate_bucket AS b (token_id, level, updated_at)
                SELECT id, :burst - 1, CAST(:now AS timestamptz) FROM token
                ON CONFLICT (token_id) DO UPDATE
                SET level = least(:burst, b.level + :perSecond
                                    * greatest(0, extract(epoch FROM CAST(:now AS timestamptz) - b.updated_at))) - 1,
                    updated_at = greatest(b.updated_at, CAST(:now AS timestamptz))
                WHERE least(:burst, b.level + :perSecond
                              * greatest(0, extract(epoch FROM CAST(:now AS timestamptz) - b.updated_at))) >= 1
                RETURNING token_id
            )
            SELECT id, learner_id, last_used_at, EXISTS (SELECT 1 FROM taken) AS allowed FROM token""")
    @RegisterConstructorMapper(Found.class)
    Optional<Found> findAndTake(@Bind("hash") byte[] hash, @Bind("kind") String kind, @Bind("now") Instant now,
            @Bind("burst") double burst, @Bind("perSecond") double perSecond);

    @SqlUpdate("UPDATE api_token SET last_used_at = :now WHERE id = :id")
    void used(@Bind("id") long tokenId, @Bind("now") Instant now);
}
