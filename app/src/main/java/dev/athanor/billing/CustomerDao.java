package dev.athanor.billing;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code customer} table: which Stripe customer each learner is (one each, made on their first Checkout). */
interface CustomerDao {

    @SqlQuery("SELECT stripe_customer_id FROM customer WHERE learner_id = :learner")
    Optional<String> customerOf(@Bind("learner") long learnerId);

    @SqlQuery("SELECT learner_id FROM customer WHERE stripe_customer_id = :customer")
    Optional<Long> learnerOf(@Bind("customer") String customerId);

    /** Links a learner to a Stripe customer; a link made before (by a concurrent request, or another) is kept. */
    @SqlUpdate("""
            INSERT INTO customer (learner_id, stripe_customer_id) VALUES (:learner, :customer)
            ON CONFLICT DO NOTHING""")
    void link(@Bind("learner") long learnerId, @Bind("customer") String customerId);
}
