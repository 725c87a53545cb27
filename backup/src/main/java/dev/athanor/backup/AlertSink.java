package dev.athanor.backup;

/**
 * Where backups and scheduled jobs report what the operator must hear about: a failed or suspiciously small backup,
 * a failed verification, a backup older than it should be, a failed job. {@code ops} connects it to the monitoring
 * module's alert sender (e-mail, de-duplicated with state on local disk), which this module does not depend on.
 */
public interface AlertSink {

    /** Drops every alert: for readers that only look (the site's health checks). */
    AlertSink NONE = (key, subject, body) -> {
    };

    /**
     * Raises an alert.
     *
     * @param key what the alert is about, stable across repeats ({@code backup-failed}, {@code backup-age}), so that
     *     a sender can de-duplicate and later send a recovery note
     * @param subject one line
     * @param body the details
     */
    void raise(String key, String subject, String body);

    /**
     * The condition behind {@code key} is over (a backup succeeded again). Call it on every run that does not see the
     * problem; a sender sends one recovery note, and only if it sent the alert.
     *
     * @param subject one line on what is well again
     * @param body the details
     */
    default void resolve(String key, String subject, String body) {
    }
}
