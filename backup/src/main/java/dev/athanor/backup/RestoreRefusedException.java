package dev.athanor.backup;

/** A restore was refused before it touched anything: the target is not empty, or the backup is not known. */
public class RestoreRefusedException extends BackupException {

    private static final long serialVersionUID = 1L;

    public RestoreRefusedException(String message) {
        super(message);
    }
}
