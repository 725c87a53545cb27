package dev.athanor.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A token bucket per API token, kept in PostgreSQL ({@code api_rate_bucket}) so every node takes from the same one:
 * two nodes allow a token what one allows. One statement per call.
 */
final class RateLimits {

    private final Jdbi jdbi;
    private final Clock clock;
    private final double burst;
    private final double perSecond;

    RateLimits(Jdbi jdbi, ApiFactory settings) {
        this.jdbi = jdbi;
        this.clock = Clock.systemUTC();
        this.burst = settings.getBurst();
        this.perSecond = settings.getRequestsPerMinute() / 60.0;
    }

    /** Takes one request from the token's bucket; how long to wait when it is empty. */
    Optional<Duration> take(long tokenId) {
        Instant now = clock.instant();
        return jdbi.withExtension(RateBucketDao.class, buckets -> {
            if (buckets.take(tokenId, now, burst, perSecond).isPresent()) {
                return Optional.empty();
            }
            double seconds = buckets.secondsToNext(tokenId, now, burst, perSecond).orElse(0.0);
            return Optional.of(Duration.ofMillis((long) Math.ceil(Math.max(0, seconds) * 1000)));
        });
    }
}
