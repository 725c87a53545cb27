package dev.athanor.api;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The {@code api_rate_bucket} table: per API token, the requests it may still make ({@code level}) as of
 * {@code updated_at}, refilled at {@code perSecond} up to {@code burst}. Shared by every node; taken from by the
 * token's lookup ({@link ApiTokenDao#findAndTake}).
 */
interface RateBucketDao {

    /** Seconds until the token's bucket holds a whole request again. */
    @SqlQuery("""
            SELECT (1 - least(:burst, level + :perSecond
                                * greatest(0, extract(epoch FROM CAST(:now AS timestamptz) - updated_at)))) / :perSecond
            FROM api_rate_bucket WHERE token_id = :token""")
    Optional<Double> secondsToNext(@Bind("token") long tokenId, @Bind("now") Instant now,
            @Bind("burst") double burst, @Bind("perSecond") double perSecond);
}
