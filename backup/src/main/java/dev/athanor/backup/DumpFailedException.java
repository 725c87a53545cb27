package dev.athanor.backup;

/** pg_dump (or pg_restore) exited with an error or reported one; the message carries what it said. */
public class DumpFailedException extends BackupException {

    private static final long serialVersionUID = 1L;

    public DumpFailedException(String message) {
        super(message);
    }
}
