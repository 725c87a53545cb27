package dev.athanor.accounts;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The newsletter: explicit consent, kept with when and where it was given, and each learner's lifecycle stage
 * (subscribed, cancel scheduled, payment failed, lapsed), which billing reports and {@link NewsletterSync} passes on
 * to the newsletter service for those who consented.
 */
final class Newsletter {

    private final Jdbi jdbi;

    Newsletter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Whether the learner has consented and not withdrawn. */
    boolean consents(long learnerId) {
        return jdbi.withExtension(NewsletterDao.class, dao -> dao.consents(learnerId));
    }

    /** Gives ({@code true}) or withdraws consent, noting where. */
    void setConsent(long learnerId, boolean consent, String source) {
        jdbi.useHandle(handle -> consent(handle, learnerId, consent, source));
    }

    static void consent(Handle handle, long learnerId, boolean consent, String source) {
        NewsletterDao dao = handle.attach(NewsletterDao.class);
        if (consent) {
            dao.consent(learnerId, source);
        } else {
            dao.withdraw(learnerId);
        }
    }

    /** Records the learner's stage as a customer (inside the caller's transaction), for the next sync. */
    static void lifecycle(Handle handle, long learnerId, Accounts.Lifecycle stage) {
        handle.attach(NewsletterDao.class).lifecycle(learnerId, stage.tag());
    }
}
