package dev.athanor.ops.certs;

/**
 * An expected way for certificate work to fail, carrying what the operator needs to act on it. Bugs are unchecked
 * exceptions and are not caught as these.
 */
public abstract class CertsException extends Exception {

    private static final long serialVersionUID = 1L;

    protected CertsException(String message) {
        super(message);
    }

    protected CertsException(String message, Throwable cause) {
        super(message, cause);
    }
}
