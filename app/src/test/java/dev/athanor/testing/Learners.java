package dev.athanor.testing;

import java.time.Instant;

/** Learners and entitlements written straight into the database, as the accounts and billing contexts will. */
public final class Learners {

    private Learners() {
    }

    public static long create(TestDatabase database, String email) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "INSERT INTO learner (email) VALUES (:email) RETURNING id").bind("email", email)
                .mapTo(Long.class).one());
    }

    /** An entitlement from now until {@code endsAt} (null: open-ended). */
    public static void entitle(TestDatabase database, long learnerId, Instant endsAt) {
        database.jdbi().useHandle(handle -> handle.createUpdate("""
                INSERT INTO entitlement (learner_id, source, starts_at, ends_at)
                VALUES (:learner, 'grant', least(now(), CAST(:ends AS timestamptz)) - interval '1 day', :ends)""")
                .bind("learner", learnerId).bind("ends", endsAt).execute());
    }
}
