package dev.athanor.monitoring.alerts;

/** Somewhere an alert can be delivered: mail, a webhook, a file. */
interface AlertChannel {

    /** A stable name, kept in the state file for messages that still have to go out on this channel. */
    String name();

    /** Delivers {@code message} or throws; called again later for the same message when it throws. */
    void send(AlertMessage message) throws Exception;

    /** Where messages go, for logs and {@code ops} output. */
    String describe();
}
