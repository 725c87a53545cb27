package dev.athanor.api;

import com.codahale.metrics.Timer;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * A token bucket per API token, kept in PostgreSQL ({@code api_rate_bucket}) so every node takes from the same one:
 * two nodes allow a token what one allows. The token's lookup takes the request from its bucket in the same
 * statement ({@link ApiTokenDao#findAndTake}); only a refused call asks again, for how long to wait.
 */
final class RateLimits {

    private final double burst;
    private final double perSecond;
    private final Timer lookups;

    /** {@code lookups} times each token lookup with its bucket. */
    RateLimits(ApiFactory settings, Timer lookups) {
        this.burst = settings.getBurst();
        this.perSecond = settings.getRequestsPerMinute() / 60.0;
        this.lookups = lookups;
    }

    double burst() {
        return burst;
    }

    double perSecond() {
        return perSecond;
    }

    Timer lookups() {
        return lookups;
    }

    /** How long the token must wait until its bucket holds a whole request again. */
    Duration waitFor(Handle handle, long tokenId, Instant now) {
        double seconds = handle.attach(RateBucketDao.class).secondsToNext(tokenId, now, burst, perSecond).orElse(0.0);
        return Duration.ofMillis((long) Math.ceil(Math.max(0, seconds) * 1000));
    }
}
