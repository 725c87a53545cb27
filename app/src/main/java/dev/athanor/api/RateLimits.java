package dev.athanor.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;

/** A token bucket per API token (Bucket4j), kept in memory while the token is in use. */
final class RateLimits {

    private final Cache<Long, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final int burst;
    private final int perMinute;

    RateLimits(ApiFactory settings) {
        this.burst = settings.getBurst();
        this.perMinute = settings.getRequestsPerMinute();
    }

    /** Takes one request from the token's bucket; how long to wait when it is empty. */
    Optional<Duration> take(long tokenId) {
        Bucket bucket = buckets.get(tokenId, id -> Bucket.builder().addLimit(Bandwidth.builder().capacity(burst)
                .refillGreedy(perMinute, Duration.ofMinutes(1)).build()).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
