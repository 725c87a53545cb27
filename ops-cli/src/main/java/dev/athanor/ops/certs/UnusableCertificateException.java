package dev.athanor.ops.certs;

/** A new certificate or key failed the checks made before installing it; nothing was replaced. */
public class UnusableCertificateException extends CertsException {

    private static final long serialVersionUID = 1L;

    public UnusableCertificateException(String message) {
        super(message);
    }
}
