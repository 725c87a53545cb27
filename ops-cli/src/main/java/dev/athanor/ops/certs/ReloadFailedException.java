package dev.athanor.ops.certs;

/** The reload command failed: the new certificate is on disk but the server may still present the old one. */
public class ReloadFailedException extends CertsException {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final int exitCode;

    public ReloadFailedException(String command, int exitCode, String output) {
        super("the reload command \"" + command + "\" " + (exitCode < 0 ? "did not finish in time" : "exited "
                + exitCode) + (output.isBlank() ? "" : ": " + output.strip().replaceAll("\\s*\\R\\s*", " / ")));
        this.command = command;
        this.exitCode = exitCode;
    }

    public String command() {
        return command;
    }

    /** The command's exit code, or -1 when it was stopped for taking too long. */
    public int exitCode() {
        return exitCode;
    }
}
