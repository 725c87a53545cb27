package dev.athanor.backup;

/** A verification proved a backup wrong: damaged archive, failed restore, or row counts that differ. */
public class VerificationFailedException extends BackupException {

    private static final long serialVersionUID = 1L;

    public VerificationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
