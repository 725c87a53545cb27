package dev.athanor.api;

import com.codahale.metrics.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A token bucket per API token, kept in PostgreSQL ({@code api_rate_bucket}) so every node takes from the same one:
 * two nodes allow a token what one allows. One statement per call, on the token lookup's connection.
 */
final class RateLimits {

    private final Clock clock;
    private final double burst;
    private final double perSecond;
    private final Timer takes;

    RateLimits(ApiFactory settings, Timer takes) {
        this.takes = takes;
        this.clock = Clock.systemUTC();
        this.burst = settings.getBurst();
        this.perSecond = settings.getRequestsPerMinute() / 60.0;
    }

    /**
     * Takes one request from the token's bucket, on the connection the token was looked up with; how long to wait
     * when it is empty.
     */
    Optional<Duration> take(Handle handle, long tokenId) {
        Instant now = clock.instant();
        try (Timer.Context ignored = takes.time()) {
            RateBucketDao buckets = handle.attach(RateBucketDao.class);
            if (buckets.take(tokenId, now, burst, perSecond).isPresent()) {
                return Optional.empty();
            }
            double seconds = buckets.secondsToNext(tokenId, now, burst, perSecond).orElse(0.0);
            return Optional.of(Duration.ofMillis((long) Math.ceil(Math.max(0, seconds) * 1000)));
        }
    }
}
