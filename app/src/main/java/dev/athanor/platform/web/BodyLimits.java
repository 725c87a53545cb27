package dev.athanor.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Request;

/**
 * How many bytes a request body may have before any of it is read: one small limit for every form and JSON endpoint,
 * and larger ones for the few paths that take more (a webhook, the operator's upload), each only for the requests
 * its condition admits. Built by the application from the contexts' needs; enforced by {@link BodyLimitHandler}, and
 * read by {@code ops nginx config} so that nginx lets through exactly what the site takes.
 */
public final class BodyLimits {

    /**
     * A path whose bodies may be larger than the default: up to {@code limit} bytes for every request, or, when
     * {@code conditional}, only for the requests a condition admits (such as a signed-in operator), which a proxy in
     * front cannot tell apart.
     */
    public record Allowance(String path, long limit, boolean conditional) {
    }

    private record Rule(Allowance allowance, Predicate<Request> admits) {
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
        return with(new Rule(new Allowance(path, limit, false), request -> true));
    }

    /** Bodies sent to exactly {@code path} may have {@code limit} bytes when {@code admits} holds for the request. */
    public BodyLimits allow(String path, long limit, Predicate<Request> admits) {
        return with(new Rule(new Allowance(path, limit, true), admits));
    }

    private BodyLimits with(Rule rule) {
        List<Rule> more = new ArrayList<>(rules);
        more.add(rule);
        return new BodyLimits(defaultLimit, more);
    }

    /** The limit for every path without an allowance of its own. */
    public long defaultLimit() {
        return defaultLimit;
    }

    /** The paths that may take more, in the order they were allowed. */
    public List<Allowance> allowances() {
        return rules.stream().map(Rule::allowance).toList();
    }

    long limitFor(Request request) {
        String path = request.getHttpURI().getCanonicalPath();
        for (Rule rule : rules) {
            if (rule.allowance().path().equals(path) && rule.admits().test(request)) {
                return rule.allowance().limit();
            }
        }
        return defaultLimit;
    }
}
