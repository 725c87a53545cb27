package dev.athanor.billing;

import java.time.Instant;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code stripe_event} ledger: every Stripe event applied, once. */
interface StripeEventDao {

    /** Records the event; 0 when it is there already (applied before, or being applied by another delivery). */
    @SqlUpdate("""
            INSERT INTO stripe_event (id, type, created, source) VALUES (:id, :type, :created, :source)
            ON CONFLICT (id) DO NOTHING""")
    int record(@Bind("id") String id, @Bind("type") String type, @Bind("created") Instant created,
            @Bind("source") String source);
}
