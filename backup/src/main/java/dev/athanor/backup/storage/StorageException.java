package dev.athanor.backup.storage;

import dev.athanor.backup.BackupException;

/** The backup storage could not be read or written; the message says which object and why. */
public class StorageException extends BackupException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
