package dev.athanor.monitoring.alerts;

/** What became of one {@link Alerts#raise} or {@link Alerts#resolve}. */
public enum Delivery {
    /** Delivered on every channel. */
    SENT,
    /** Some channel failed after retries; the message is kept and sent again on the next call or {@code flush}. */
    QUEUED,
    /** The same problem was already sent within the repeat period; nothing new went out. */
    DUPLICATE,
    /** The hourly limit was reached; the problem stays open and goes out on a later call. */
    HELD_BACK,
    /** {@code resolve} for a problem that was not open (or never went out): nothing to say. */
    NOTHING_OPEN
}
