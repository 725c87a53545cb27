package dev.athanor.backup.archive;

import dev.athanor.backup.BackupException;

/** The configured encryption key file is missing, unreadable or not an age key file: a configuration problem. */
public class KeyFileException extends BackupException {

    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
