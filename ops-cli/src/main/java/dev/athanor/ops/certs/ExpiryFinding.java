package dev.athanor.ops.certs;

/** One line of {@code ops certs check}: a certificate (or server) and how it stands. */
public record ExpiryFinding(String name, Severity severity, String message) {

    /** How bad, ordered; {@code ops certs check} exits with the worst one's code. */
    public enum Severity {
        OK(0), WARNING(1), CRITICAL(2);

        private final int exitCode;

        Severity(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    public int exitCode() {
        return severity.exitCode;
    }

    /** {@code OK}, {@code WARNING} or {@code CRITICAL}, as monitoring plugins print it. */
    public String label() {
        return severity.name();
    }
}
