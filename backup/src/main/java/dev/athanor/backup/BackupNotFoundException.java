package dev.athanor.backup;

/** No complete backup has the id the operator gave. */
public class BackupNotFoundException extends BackupException {

    private static final long serialVersionUID = 1L;

    public BackupNotFoundException(String message) {
        super(message);
    }
}
