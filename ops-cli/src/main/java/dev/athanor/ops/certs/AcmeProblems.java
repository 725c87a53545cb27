package dev.athanor.ops.certs;

import java.util.List;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/** Turns acme4j's exceptions into ours, keeping the CA's own words and the Retry-After. */
final class AcmeProblems {

    static final String ALREADY_REPLACED = "urn:ietf:params:acme:error:alreadyReplaced";
    static final String CONFLICT = "urn:ietf:params:acme:error:conflict";

    private AcmeProblems() {
    }

    static CertsException translateAny(List<String> names, String step, AcmeException e) {
        if (e instanceof AcmeRateLimitedException limited) {
            return new RateLimitedException("the CA rate-limited the " + step + " for " + String.join(", ", names)
                    + ": " + describe(limited.getProblem()) + limited.getRetryAfter().map(at -> "; retry after " + at)
                    .orElse(""), limited.getRetryAfter().orElse(null), e);
        }
        if (e instanceof AcmeServerException server) {
            return new OrderFailedException(names, server.getType().toString(), describe(server.getProblem()), e);
        }
        return new OrderFailedException(names, null, step + ": " + causes(e), e);
    }

    /** The messages of {@code e} and its causes, for errors such as acme4j's bare "Network error". */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (!text.toString().contains(message)) {
                text.append(": ").append(message);
            }
        }
        return text.toString();
    }

    /** As {@link #translateAny}, thrown types narrowed for callers' {@code throws} clauses. */
    static OrderFailedException translate(List<String> names, String step, AcmeException e)
            throws RateLimitedException {
        CertsException translated = translateAny(names, step, e);
        if (translated instanceof RateLimitedException limited) {
            throw limited;
        }
        return (OrderFailedException) translated;
    }

    /** The problem's detail, and those of its sub-problems (one per failed name). */
    static String describe(Problem problem) {
        StringBuilder text = new StringBuilder(problem.getDetail().orElse(problem.getType().toString()));
        for (Problem sub : problem.getSubProblems()) {
            text.append("; ").append(sub.getIdentifier().map(id -> id.getValue() + ": ").orElse(""))
                    .append(sub.getDetail().orElse(sub.getType().toString()));
        }
        return text.toString();
    }

    /** True when the CA refused an order because of its {@code replaces} field. */
    static boolean isReplacementRejected(AcmeException e) {
        if (e instanceof AcmeServerException server && !(e instanceof AcmeRateLimitedException)) {
            String type = server.getType().toString();
            return type.equals(ALREADY_REPLACED) || type.equals(CONFLICT);
        }
        return false;
    }
}
