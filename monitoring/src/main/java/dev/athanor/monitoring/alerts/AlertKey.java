package dev.athanor.monitoring.alerts;

import java.util.Objects;

/**
 * What an alert is about and which condition it reports, such as ({@code "certificate learn.example.com"},
 * {@code "overdue"}) or ({@code "backup"}, {@code "failed"}). Alerts with the same key are one problem: sent once per
 * repeat period while it lasts, and closed by one recovery note.
 *
 * @param subject the thing that has the problem; stable across runs (a domain, a job name), not a message
 * @param condition what is wrong with it, one word or a short kebab-case phrase
 */
public record AlertKey(String subject, String condition) {

    public AlertKey {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(condition, "condition");
        if (subject.isBlank() || condition.isBlank()) {
            throw new IllegalArgumentException("an alert key needs a subject and a condition");
        }
    }

    public static AlertKey of(String subject, String condition) {
        return new AlertKey(subject, condition);
    }

    /** The key as one string, as stored in the state file. */
    public String id() {
        return subject + " / " + condition;
    }

    @Override
    public String toString() {
        return id();
    }
}
