package dev.athanor.api;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import dev.athanor.billing.Billing;
import dev.athanor.content.Content;
import dev.athanor.events.Events;
import dev.athanor.media.Media;
import dev.athanor.platform.Sha256;
import dev.athanor.platform.web.Web;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The api context's public face. API and feed tokens: 256 random bits behind a prefix ({@code ath_} for scripts,
 * {@code athf_} for feeds), shown once and stored only as a SHA-256. A token works until it is revoked, and only
 * while its owner is entitled (the API checks that). {@link #register} adds the JSON API, the private feeds and the
 * account page's tokens to the site.
 */
public final class ApiTokens {

    /** What a token is for. */
    public enum Kind {
        API("ath_"), FEED("athf_");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A token as its owner's list shows it (never the token itself). */
    public record Listed(long id, String kind, String name, String hint, String createdAt, String lastUsedAt) {
    }

    /** A token that was just made: its id, and the one time its secret is seen. */
    public record Created(long id, String token) {
    }

    /** Whose a valid token is, and how long it must wait first when its rate limit is reached. */
    record Owner(long tokenId, long learnerId, Optional<Duration> waitFirst) {
    }

    static final int MAX_PER_LEARNER = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;

    /** The tokens in {@code jdbi}'s database. */
    public ApiTokens(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Adds the api context's pages to the site: the JSON API (rate-limited per token as {@code settings} say) and
     * the private feeds, both for learners {@code billing} entitles, and the account page's tokens. The rate limit's
     * token lookup, which takes the request from the bucket, is timed in {@code metrics}
     * ({@code dev.athanor.api.ApiTokens.lookups}, the last 256 calls).
     */
    public void register(JerseyEnvironment jersey, ApiFactory settings, Billing billing, Content content, Media media,
            Events events, Web web, MetricRegistry metrics) {
        ApiAccess access = new ApiAccess(this, billing, new RateLimits(settings,
                metrics.timer(MetricRegistry.name(ApiTokens.class, "lookups"),
                        () -> new Timer(new SlidingWindowReservoir(256)))));
        jersey.register(new ApiError.Mapper());
        jersey.register(new ApiResource(access, content, media, events, web.site().baseUrl().toString()));
        jersey.register(new PrivateFeedResource(access, content, media, events, web.site()));
        jersey.register(new TokensResource(this, web));
    }

    /** Makes a token; empty when the learner already has the most tokens of that kind allowed. */
    public Optional<Created> create(long learnerId, Kind kind, String name) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = kind.prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String label = name == null || name.isBlank() ? "unnamed" : name.strip();
        String clipped = label.length() > 80 ? label.substring(0, 80) : label;
        return jdbi.inTransaction(handle -> {
            ApiTokenDao tokens = handle.attach(ApiTokenDao.class);
            if (tokens.live(learnerId, kind.column()) >= MAX_PER_LEARNER) {
                return Optional.empty();
            }
            long id = tokens.insert(learnerId, kind.column(), clipped, hash(token),
                    token.substring(token.length() - 4));
            return Optional.of(new Created(id, token));
        });
    }

    /** The learner's live tokens, newest first. */
    public List<Listed> list(long learnerId) {
        return jdbi.withExtension(ApiTokenDao.class, tokens -> tokens.list(learnerId));
    }

    /** Revokes one of the learner's own tokens; false when they have no such token. */
    public boolean revoke(long learnerId, long tokenId) {
        return jdbi.withExtension(ApiTokenDao.class, tokens -> tokens.revoke(learnerId, tokenId)) > 0;
    }

    /**
     * The owner of a live token of this kind (noting its use, at most once a minute), with a request taken from its
     * bucket in {@code limits} on the same connection.
     */
    Optional<Owner> authenticate(String token, Kind kind, RateLimits limits) {
        if (token == null || !token.startsWith(kind.prefix) || token.length() != kind.prefix.length() + 43) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        try (Timer.Context ignored = limits.lookups().time()) {
            return jdbi.withHandle(handle -> {
                ApiTokenDao tokens = handle.attach(ApiTokenDao.class);
                return tokens.findAndTake(hash(token), kind.column(), now, limits.burst(), limits.perSecond())
                        .map(found -> {
                            if (found.lastUsedAt() == null || found.lastUsedAt().isBefore(now.minusSeconds(60))) {
                                tokens.used(found.id(), now);
                            }
                            return new Owner(found.id(), found.learnerId(), found.allowed() ? Optional.empty()
                                    : Optional.of(limits.waitFor(handle, found.id(), now)));
                        });
            });
        }
    }

    private static byte[] hash(String token) {
        return Sha256.digest().digest(token.getBytes(StandardCharsets.US_ASCII));
    }
}
