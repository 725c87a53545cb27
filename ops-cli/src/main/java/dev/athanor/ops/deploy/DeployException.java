package dev.athanor.ops.deploy;

/** A deploy, rollback or maintenance step that failed for a reason the operator can act on; the message says it. */
public class DeployException extends Exception {

    private final int exitCode;

    DeployException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    DeployException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The sysexits(3) code {@code ops} exits with. */
    public int exitCode() {
        return exitCode;
    }
}
