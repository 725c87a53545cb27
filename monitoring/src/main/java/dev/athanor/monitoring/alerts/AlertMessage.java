package dev.athanor.monitoring.alerts;

/** One message as it leaves: a subject line and a plain-text body. */
public record AlertMessage(String subject, String body) {

    /** Subject and body as one text, for chat webhooks and files. */
    public String asText() {
        return subject + "\n\n" + body;
    }
}
