package dev.athanor.ops.certs;

import java.util.List;

/** The CA did not issue: a validation failed, it refused the order, or it could not be reached. */
public class OrderFailedException extends CertsException {

    private static final long serialVersionUID = 1L;

    private final List<String> names;
    private final String problemType;

    public OrderFailedException(List<String> names, String problemType, String detail, Throwable cause) {
        super("the CA did not issue a certificate for " + String.join(", ", names) + ": " + detail, cause);
        this.names = List.copyOf(names);
        this.problemType = problemType;
    }

    public List<String> names() {
        return names;
    }

    /** The ACME problem type ({@code urn:ietf:params:acme:error:...}), or null when the CA gave none. */
    public String problemType() {
        return problemType;
    }
}
