package dev.athanor.mail;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code outbox} table: every message the site sends, queued with the change that caused it, then sent. */
interface OutboxDao {

    /** A message waiting to be sent. */
    record Message(long id, String recipient, String subject, String textBody, String htmlBody, int attempts) {
    }

    @SqlUpdate("""
            INSERT INTO outbox (recipient, template, subject, text_body, html_body)
            VALUES (:recipient, :template, :subject, :text, :html)""")
    void queue(@Bind("recipient") String recipient, @Bind("template") String template,
            @Bind("subject") String subject, @Bind("text") String text, @Bind("html") String html);

    /** Up to {@code batch} messages due now, locked so that other nodes skip them until this transaction ends. */
    @SqlQuery("""
            SELECT id, recipient, subject, text_body, html_body, attempts FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
            ORDER BY id LIMIT :batch FOR UPDATE SKIP LOCKED""")
    @RegisterConstructorMapper(Message.class)
    List<Message> lockDue(@Bind("batch") int batch);

    @SqlUpdate("UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = :id")
    void sent(@Bind("id") long id);

    @SqlUpdate("""
            UPDATE outbox SET attempts = :attempts, last_error = :error,
                next_attempt_at = now() + make_interval(secs => :wait)
            WHERE id = :id""")
    void retryLater(@Bind("id") long id, @Bind("attempts") int attempts, @Bind("error") String error,
            @Bind("wait") long waitSeconds);

    @SqlUpdate("UPDATE outbox SET attempts = :attempts, failed_at = now(), last_error = :error WHERE id = :id")
    void giveUp(@Bind("id") long id, @Bind("attempts") int attempts, @Bind("error") String error);

    /** How many messages wait to be sent (or tried again). */
    @SqlQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
    long waiting();

    /** How many messages have waited more than half an hour. */
    @SqlQuery("""
            SELECT count(*) FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND created_at < now() - interval '30 minutes'""")
    long stuck();

    /** How many messages were given up in the last day. */
    @SqlQuery("SELECT count(*) FROM outbox WHERE failed_at > now() - interval '1 day'")
    long failedRecently();
}
