package dev.athanor.api;

import dev.athanor.platform.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * API and feed tokens: 256 random bits behind a prefix ({@code ath_} for scripts, {@code athf_} for feeds), shown
 * once and stored only as a SHA-256. A token works until it is revoked, and only while its owner is entitled (the
 * caller checks that).
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

    /** Whose a valid token is. */
    public record Owner(long tokenId, long learnerId) {
    }

    static final int MAX_PER_LEARNER = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;

    public ApiTokens(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Makes a token; empty when the learner already has the most tokens of that kind allowed. */
    public Optional<Created> create(long learnerId, Kind kind, String name) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = kind.prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String label = name == null || name.isBlank() ? "unnamed" : name.strip();
        String clipped = label.length() > 80 ? label.substring(0, 80) : label;
        return jdbi.inTransaction(handle -> {
            int live = handle.createQuery("SELECT count(*) FROM api_token WHERE learner_id = :learner"
                    + " AND kind = :kind AND revoked_at IS NULL").bind("learner", learnerId)
                    .bind("kind", kind.column()).mapTo(Integer.class).one();
            if (live >= MAX_PER_LEARNER) {
                return Optional.empty();
            }
            long id = handle.createQuery("""
                    INSERT INTO api_token (learner_id, kind, name, token_hash, hint)
                    VALUES (:learner, :kind, :name, :hash, :hint) RETURNING id""")
                    .bind("learner", learnerId).bind("kind", kind.column()).bind("name", clipped)
                    .bind("hash", hash(token)).bind("hint", token.substring(token.length() - 4))
                    .mapTo(Long.class).one();
            return Optional.of(new Created(id, token));
        });
    }

    public List<Listed> list(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT id, kind, name, hint, to_char(created_at, 'YYYY-MM-DD'),
                       coalesce(to_char(last_used_at, 'YYYY-MM-DD HH24:MI'), 'never')
                FROM api_token WHERE learner_id = :learner AND revoked_at IS NULL ORDER BY created_at DESC, id DESC""")
                .bind("learner", learnerId)
                .map((rs, ctx) -> new Listed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)))
                .list());
    }

    /** Revokes one of the learner's own tokens; false when they have no such token. */
    public boolean revoke(long learnerId, long tokenId) {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE api_token SET revoked_at = now()"
                + " WHERE id = :id AND learner_id = :learner AND revoked_at IS NULL").bind("id", tokenId)
                .bind("learner", learnerId).execute()) > 0;
    }

    /** The owner of a live token of this kind (noting its use, at most once a minute). */
    public Optional<Owner> authenticate(String token, Kind kind) {
        if (token == null || !token.startsWith(kind.prefix) || token.length() != kind.prefix.length() + 43) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT id, learner_id, last_used_at FROM api_token
                WHERE token_hash = :hash AND kind = :kind AND revoked_at IS NULL""")
                .bind("hash", hash(token)).bind("kind", kind.column())
                .map((rs, ctx) -> {
                    java.sql.Timestamp used = rs.getTimestamp(3);
                    if (used == null || used.toInstant().isBefore(now.minusSeconds(60))) {
                        handle.createUpdate("UPDATE api_token SET last_used_at = :now WHERE id = :id")
                                .bind("now", now).bind("id", rs.getLong(1)).execute();
                    }
                    return new Owner(rs.getLong(1), rs.getLong(2));
                })
                .findOne());
    }

    private static byte[] hash(String token) {
        return Sha256.digest().digest(token.getBytes(StandardCharsets.US_ASCII));
    }
}
