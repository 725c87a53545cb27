package dev.athanor.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Request;

/**
 * How many bytes a request body may have before any of it is read: one small limit for every form and JSON endpoint,
 * and larger ones for the few paths that take more (a webhook, the operator's upload), each only for the requests
 * its condition admits. Built by the application from the contexts' needs; enforced by {@link BodyLimitHandler}.
 */
public final class BodyLimits {

    private record Rule(String path, long limit, Predicate<Request> admits) {
    }

    private final long defaultLimit;
    private final List<Rule> rules;

    private BodyLimits(long defaultLimit, List<Rule> rules) {
        this.defaultLimit = defaultLimit;
        this.rules = List.copyOf(rules);
    }

    /** Every body at most {@code defaultLimit} bytes. */
    public static BodyLimits of(long defaultLimit) {
        return new BodyLimits(defaultLimit, List.of());
    }

    /** Bodies sent to exactly {@code path} may have {@code limit} bytes. */
    public BodyLimits allow(String path, long limit) {
        return allow(path, limit, request -> true);
    }

    /** Bodies sent to exactly {@code path} may have {@code limit} bytes when {@code admits} holds for the request. */
    public BodyLimits allow(String path, long limit, Predicate<Request> admits) {
        List<Rule> more = new ArrayList<>(rules);
        more.add(new Rule(path, limit, admits));
        return new BodyLimits(defaultLimit, more);
    }

    long limitFor(Request request) {
        String path = request.getHttpURI().getCanonicalPath();
        for (Rule rule : rules) {
            if (rule.path().equals(path) && rule.admits().test(request)) {
                return rule.limit();
            }
        }
        return defaultLimit;
    }
}
