package dev.athanor.platform.db;

/** The embedded PostgreSQL could not be unpacked, initialised, started, reached or stopped; the message says which. */
public class EmbeddedPostgresException extends Exception {

    private static final long serialVersionUID = 1L;

    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
