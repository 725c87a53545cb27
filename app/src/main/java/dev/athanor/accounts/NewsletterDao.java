package dev.athanor.accounts;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code newsletter_contact} table: consent, lifecycle stage, and how far the newsletter service has synced. */
@RegisterConstructorMapper(NewsletterDao.Contact.class)
interface NewsletterDao {

    /** A contact the newsletter service is behind on: subscribed unless consent was withdrawn. */
    record Contact(long learnerId, String email, boolean subscribed, String lifecycle, Instant changedAt) {
    }

    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM newsletter_contact WHERE learner_id = :learner
                           AND consented_at IS NOT NULL AND withdrawn_at IS NULL)""")
    boolean consents(@Bind("learner") long learnerId);

    @SqlUpdate("""
            INSERT INTO newsletter_contact (learner_id, consented_at, source) VALUES (:learner, now(), :source)
            ON CONFLICT (learner_id) DO UPDATE SET consented_at = now(), source = EXCLUDED.source,
                withdrawn_at = NULL, changed_at = now()""")
    void consent(@Bind("learner") long learnerId, @Bind("source") String source);

    @SqlUpdate("""
            UPDATE newsletter_contact SET withdrawn_at = now(), changed_at = now()
            WHERE learner_id = :learner AND withdrawn_at IS NULL AND consented_at IS NOT NULL""")
    void withdraw(@Bind("learner") long learnerId);

    @SqlUpdate("""
            INSERT INTO newsletter_contact (learner_id, lifecycle) VALUES (:learner, :stage)
            ON CONFLICT (learner_id) DO UPDATE SET lifecycle = EXCLUDED.lifecycle, changed_at = now()
            WHERE newsletter_contact.lifecycle IS DISTINCT FROM EXCLUDED.lifecycle""")
    void lifecycle(@Bind("learner") long learnerId, @Bind("stage") String stage);

    /** Up to 100 consenting contacts changed since their last sync, the longest waiting first. */
    @SqlQuery("""
            SELECT c.learner_id, l.email, c.withdrawn_at IS NULL AS subscribed, c.lifecycle, c.changed_at
            FROM newsletter_contact c JOIN learner l ON l.id = c.learner_id
            WHERE c.consented_at IS NOT NULL AND (c.synced_at IS NULL OR c.changed_at > c.synced_at)
            ORDER BY c.changed_at LIMIT 100""")
    List<Contact> behind();

    /** The contact is synced as of its change at {@code changedAt}. */
    @SqlUpdate("UPDATE newsletter_contact SET synced_at = :changed, sync_error = NULL WHERE learner_id = :learner")
    void synced(@Bind("learner") long learnerId, @Bind("changed") Instant changedAt);

    @SqlUpdate("UPDATE newsletter_contact SET sync_error = :error WHERE learner_id = :learner")
    void failed(@Bind("learner") long learnerId, @Bind("error") String error);
}
