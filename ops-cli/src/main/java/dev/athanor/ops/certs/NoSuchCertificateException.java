package dev.athanor.ops.certs;

/** The named certificate (or its previous pair, for a rollback) does not exist. */
public class NoSuchCertificateException extends CertsException {

    private static final long serialVersionUID = 1L;

    public NoSuchCertificateException(String message) {
        super(message);
    }
}
