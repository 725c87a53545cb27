package dev.athanor.ops.certs;

import java.time.Instant;

/**
 * A certificate needs renewal, but the last failure's back-off or the CA's Retry-After has not passed yet, so no
 * order was placed.
 */
public class WaitingException extends CertsException {

    private static final long serialVersionUID = 1L;

    private final transient Instant notBefore;

    public WaitingException(String name, Instant notBefore, String reason) {
        super(name + ": not ordering again before " + notBefore + " (" + reason + ")");
        this.notBefore = notBefore;
    }

    public Instant notBefore() {
        return notBefore;
    }
}
