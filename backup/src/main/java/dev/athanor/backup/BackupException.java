package dev.athanor.backup;

/**
 * An expected failure of a backup operation: a missing tool, a failed dump, a corrupt archive. Each subclass carries
 * what the operator needs to act on it; programming errors stay unchecked.
 */
public class BackupException extends Exception {

    private static final long serialVersionUID = 1L;

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
