package dev.athanor.billing;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Forgetting the idempotency keys of old Stripe requests: {@code stripe_request} rows made long enough ago. */
interface StripeRequestRetentionDao {

    @SqlUpdate("DELETE FROM stripe_request WHERE created_at < now() - make_interval(secs => :age)")
    int deleteCreatedBefore(@Bind("age") long ageSeconds);
}
