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
    public record Redeemed(long learnerId, String newEmail) {
    }

    private final Clock clock;

    OneTimeTokens(Clock clock) {
        this.clock = clock;
    }

    String issue(Handle handle, long learnerId, String purpose, Duration lifetime, String newEmail) {
        OneTimeTokenDao dao = handle.attach(OneTimeTokenDao.class);
        dao.voidUnused(learnerId, purpose);
        String token = Tokens.newToken();
        dao.insert(Tokens.hash(token), learnerId, purpose, newEmail, clock.instant().plus(lifetime));
        return token;
    }

    /** Whether {@code token} would redeem now, without using it (for the page that asks for confirmation). */
    boolean valid(Handle handle, String token, String purpose) {
        return Tokens.plausible(token)
                && handle.attach(OneTimeTokenDao.class).valid(Tokens.hash(token), purpose, clock.instant());
    }

    /** Uses {@code token} up, if it is valid for {@code purpose}: at most one caller ever succeeds. */
    Optional<Redeemed> redeem(Handle handle, String token, String purpose) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        return handle.attach(OneTimeTokenDao.class).redeem(Tokens.hash(token), purpose, clock.instant());
    }

    /** The learner a (plausible) token was issued to, valid or not. */
    Optional<Long> learner(Handle handle, String token) {
        return Tokens.plausible(token) ? handle.attach(OneTimeTokenDao.class).learner(Tokens.hash(token))
                : Optional.empty();
    }
}
