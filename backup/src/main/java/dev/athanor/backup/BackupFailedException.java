package dev.athanor.backup;

/**
 * A backup attempt failed and left no backup: its upload was aborted and no manifest was written. The message says
 * what failed first.
 */
public class BackupFailedException extends BackupException {

    private static final long serialVersionUID = 1L;

    private final String backupId;

    public BackupFailedException(String backupId, String message, Throwable cause) {
        super("backup " + backupId + " failed: " + message + "; nothing was kept", cause);
        this.backupId = backupId;
    }

    public String backupId() {
        return backupId;
    }
}
