package dev.athanor.platform.db;

/**
 * The database could not be reached, said for the operator in one line: which server, and why in words they can act
 * on (a certificate not signed by the configured CA, a host name the certificate does not name, a refused password).
 * The driver's exception is the cause, for the log.
 */
public final class DatabaseConnectionException extends Exception {

    private static final long serialVersionUID = 1L;

    DatabaseConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
