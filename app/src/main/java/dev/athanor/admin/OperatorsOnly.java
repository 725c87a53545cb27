package dev.athanor.admin;

import dev.athanor.platform.web.Web;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.PathSegment;
import java.util.List;

/**
 * Answers 404 to anyone but an operator for every address under {@code /admin}, before Jersey matches it: an address
 * that exists, one that does not, a wrong method or a wrong body type all look the same to a stranger, so the
 * responses do not map out the operator area. The resources still check {@link Operator} themselves.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class OperatorsOnly implements ContainerRequestFilter {

    private final Web web;

    @Context
    private HttpServletRequest request;

    public OperatorsOnly(Web web) {
        this.web = web;
    }

    @Override
    public void filter(ContainerRequestContext context) {
        List<PathSegment> segments = context.getUriInfo().getPathSegments(true);
        if (!segments.isEmpty() && segments.get(0).getPath().equals("admin")
                && !Operator.admits(web.viewers().resolve(request))) {
            throw new NotFoundException();
        }
    }
}
