package dev.athanor.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code subscription} table: each Stripe subscription as Stripe last said it was. */
interface SubscriptionDao {

    /** A subscription as Stripe has it now, to be stored. */
    record Stored(String id, long learnerId, String customer, String status, String plan, String priceId,
            String tier, String country, Instant periodEnd, boolean cancelAtPeriodEnd, Instant canceledAt) {
    }

    /** The learner's live subscription, else their newest one. */
    @SqlQuery("""
            SELECT coalesce(plan, '') AS plan, status,
                   coalesce(to_char(current_period_end, 'YYYY-MM-DD'), '') AS period_end,
                   cancel_at_period_end, tier, country
            FROM subscription WHERE learner_id = :learner
            ORDER BY status IN ('active', 'trialing', 'past_due') DESC, created_at DESC LIMIT 1""")
    @RegisterConstructorMapper(Billing.Status.class)
    Optional<Billing.Status> newest(@Bind("learner") long learnerId);

    /**
     * Inserts or updates the subscription; {@code past_due_since} keeps the time it first fell past due (the grace
     * period runs from there) and is cleared once it is not past due.
     */
    @SqlUpdate("store")
    @UseClasspathSqlLocator
    void store(@BindMethods Stored subscription);

    @SqlQuery("SELECT plan FROM subscription WHERE stripe_subscription_id = :id")
    Optional<String> planOf(@Bind("id") String subscriptionId);

    /** The customer's subscriptions that are not over. */
    @SqlQuery("""
            SELECT stripe_subscription_id FROM subscription
            WHERE stripe_customer_id = :customer AND status NOT IN ('canceled', 'incomplete_expired')""")
    List<String> liveOf(@Bind("customer") String customerId);

    /** Everyone a live subscription gives access, as the members list shows them. */
    @SqlQuery("""
            SELECT learner_id,
                   'stripe ' || coalesce(plan, '?') || ' (' || status
                       || CASE WHEN cancel_at_period_end THEN ', cancels' ELSE '' END || ')' AS source,
                   coalesce(to_char(current_period_end, 'YYYY-MM-DD'), '') AS until, coalesce(tier, '') AS note
            FROM subscription WHERE status IN ('active', 'trialing', 'past_due')""")
    @RegisterConstructorMapper(Grants.Row.class)
    List<Grants.Row> liveMembers();

    /**
     * Serializes the work on one subscription until the transaction ends (several nodes, several events at once).
     * Returns 1.
     */
    @SqlQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:id, 0))")
    int lock(@Bind("id") String subscriptionId);
}
