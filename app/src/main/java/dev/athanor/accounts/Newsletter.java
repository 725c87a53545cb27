package dev.athanor.accounts;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The newsletter: explicit consent, kept with when and where it was given, and each learner's lifecycle stage
 * (subscribed, cancel scheduled, payment failed, lapsed), which billing reports and {@link NewsletterSync} passes on
 * to the newsletter service for those who consented.
 */
public final class Newsletter {

    /** A learner's stage as a customer, as the newsletter service tags it. */
    public enum Lifecycle {
        SUBSCRIBED("subscribed"), CANCEL_SCHEDULED("cancel-scheduled"), PAYMENT_FAILED("payment-failed"),
        LAPSED("lapsed");

        private final String tag;

        Lifecycle(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        static Optional<Lifecycle> of(String tag) {
            for (Lifecycle stage : values()) {
                if (stage.tag.equals(tag)) {
                    return Optional.of(stage);
                }
            }
            return Optional.empty();
        }
    }

    private final Jdbi jdbi;

    public Newsletter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Whether the learner has consented and not withdrawn. */
    public boolean consents(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT EXISTS (SELECT 1 FROM newsletter_contact WHERE learner_id = :learner
                               AND consented_at IS NOT NULL AND withdrawn_at IS NULL)""")
                .bind("learner", learnerId).mapTo(Boolean.class).one());
    }

    /** Gives ({@code true}) or withdraws consent, noting where. */
    public void setConsent(long learnerId, boolean consent, String source) {
        jdbi.useHandle(handle -> consent(handle, learnerId, consent, source));
    }

    static void consent(Handle handle, long learnerId, boolean consent, String source) {
        if (consent) {
            handle.createUpdate("""
                    INSERT INTO newsletter_contact (learner_id, consented_at, source) VALUES (:learner, now(), :source)
                    ON CONFLICT (learner_id) DO UPDATE SET consented_at = now(), source = EXCLUDED.source,
                        withdrawn_at = NULL, changed_at = now()""")
                    .bind("learner", learnerId).bind("source", source).execute();
        } else {
            handle.createUpdate("""
                    UPDATE newsletter_contact SET withdrawn_at = now(), changed_at = now()
                    WHERE learner_id = :learner AND withdrawn_at IS NULL AND consented_at IS NOT NULL""")
                    .bind("learner", learnerId).execute();
        }
    }

    /** Records the learner's stage as a customer (inside the caller's transaction), for the next sync. */
    public static void lifecycle(Handle handle, long learnerId, Lifecycle stage) {
        handle.createUpdate("""
                INSERT INTO newsletter_contact (learner_id, lifecycle) VALUES (:learner, :stage)
                ON CONFLICT (learner_id) DO UPDATE SET lifecycle = EXCLUDED.lifecycle, changed_at = now()
                WHERE newsletter_contact.lifecycle IS DISTINCT FROM EXCLUDED.lifecycle""")
                .bind("learner", learnerId).bind("stage", stage.tag()).execute();
    }
}
