package dev.athanor.backup.scheduler;

/**
 * A task's failure that its own work has already alerted about (a failed backup raises {@code backup-failed}, a failed
 * certificate order {@code renewal-failed}). The job records and logs it like any failure but raises no
 * {@code job-NAME} alert of its own, so that one failure makes one message.
 */
public final class AlertedFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public AlertedFailure(Exception cause) {
        super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
}
