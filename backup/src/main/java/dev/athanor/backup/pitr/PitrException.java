package dev.athanor.backup.pitr;

/**
 * A point-in-time recovery step that failed for a reason the operator can act on; the message says which and what
 * pgBackRest or PostgreSQL said. Carries the sysexits(3) code {@code ops} exits with.
 */
public class PitrException extends Exception {

    /** sysexits' EX_DATAERR: a target outside the window, a moment that cannot be read. */
    public static final int REFUSED = 65;
    /** sysexits' EX_UNAVAILABLE: pgBackRest or PostgreSQL failed. */
    public static final int FAILED = 69;
    /** sysexits' EX_SOFTWARE: what was checked does not hold (a drill's counts differ). */
    public static final int MISMATCH = 70;
    /** sysexits' EX_CONFIG: not set up, or set up differently from the configuration. */
    public static final int CONFIG = 78;

    private final int exitCode;

    public PitrException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public PitrException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The sysexits(3) code {@code ops} exits with. */
    public int exitCode() {
        return exitCode;
    }
}
