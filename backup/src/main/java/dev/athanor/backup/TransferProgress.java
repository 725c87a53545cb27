package dev.athanor.backup;

/**
 * Progress of a long transfer (a dump streaming up, an archive coming down), for a progress bar on a terminal.
 * Called from the transferring thread; implementations must be cheap.
 */
public interface TransferProgress {

    /** Reports nothing: for runs without a terminal. */
    TransferProgress NONE = new TransferProgress() {
    };

    /**
     * A transfer starts.
     *
     * @param task what is being done, such as {@code "Backing up"}
     * @param totalBytes the bytes to come, or -1 when unknown (a dump's size is known only at its end)
     */
    default void start(String task, long totalBytes) {
    }

    default void advance(long bytes) {
    }

    default void done() {
    }
}
