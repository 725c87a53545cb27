package dev.athanor.accounts;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Links sent by mail (verify an address, reset a password, sign in, confirm a new address): each works once and
 * until it expires; a new link of the same kind voids the older ones.
 */
final class OneTimeTokens {

    /** What a redeemed token was for. */
    record Redeemed(long learnerId, String newEmail) {
    }

    private final Clock clock;

    OneTimeTokens(Clock clock) {
        this.clock = clock;
    }

    String issue(Handle handle, long learnerId, String purpose, Duration lifetime, String newEmail) {
        handle.createUpdate("UPDATE one_time_token SET used_at = now() WHERE learner_id = :learner"
                + " AND purpose = :purpose AND used_at IS NULL")
                .bind("learner", learnerId).bind("purpose", purpose).execute();
        String token = Tokens.newToken();
        handle.createUpdate("""
                INSERT INTO one_time_token (token_hash, learner_id, purpose, new_email, expires_at)
                VALUES (:hash, :learner, :purpose, :email, :expires)""")
                .bind("hash", Tokens.hash(token)).bind("learner", learnerId).bind("purpose", purpose)
                .bind("email", newEmail).bind("expires", clock.instant().plus(lifetime)).execute();
        return token;
    }

    /** Whether {@code token} would redeem now, without using it (for the page that asks for confirmation). */
    boolean valid(Handle handle, String token, String purpose) {
        return Tokens.plausible(token) && handle.createQuery("""
                SELECT EXISTS (SELECT 1 FROM one_time_token WHERE token_hash = :hash AND purpose = :purpose
                               AND used_at IS NULL AND expires_at > :now)""")
                .bind("hash", Tokens.hash(token)).bind("purpose", purpose).bind("now", clock.instant())
                .mapTo(Boolean.class).one();
    }

    /** Uses {@code token} up, if it is valid for {@code purpose}: at most one caller ever succeeds. */
    Optional<Redeemed> redeem(Handle handle, String token, String purpose) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        return handle.createQuery("""
                UPDATE one_time_token SET used_at = :now
                WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now
                RETURNING learner_id, new_email""")
                .bind("hash", Tokens.hash(token)).bind("purpose", purpose).bind("now", clock.instant())
                .map((rs, ctx) -> new Redeemed(rs.getLong(1), rs.getString(2)))
                .findOne();
    }
}
