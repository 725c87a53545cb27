package dev.athanor.billing;

import org.jdbi.v3.core.Jdbi;

/**
 * The billing context's public face. Entitlement is the single answer to "may this learner watch subscriber
 * lessons": an entitlement row that has started and not ended (subscriptions and manual grants both write them).
 */
public final class Billing {

    private final Jdbi jdbi;

    public Billing(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public boolean isEntitled(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT EXISTS (SELECT 1 FROM entitlement WHERE learner_id = :learner
                               AND starts_at <= now() AND (ends_at IS NULL OR ends_at > now()))""")
                .bind("learner", learnerId).mapTo(Boolean.class).one());
    }
}
