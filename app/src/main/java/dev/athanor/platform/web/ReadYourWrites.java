package dev.athanor.platform.web;

import dev.athanor.platform.db.LearnerChanges;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;

/**
 * A signed-in learner's own form or JSON request (a password changed, a second factor enrolled, a lesson's progress)
 * may have changed what this node keeps of them in memory; their copies are dropped before the answer goes out, so
 * the page they load next shows the change at once. Other nodes, and changes to other learners, are told through the
 * database within a second ({@link LearnerChanges}).
 */
public final class ReadYourWrites implements ContainerResponseFilter {

    private final Viewers viewers;
    private final LearnerChanges changes;
    @Context
    private HttpServletRequest request;

    public ReadYourWrites(Viewers viewers, LearnerChanges changes) {
        this.viewers = viewers;
        this.changes = changes;
    }

    @Override
    public void filter(ContainerRequestContext requestContext, ContainerResponseContext responseContext) {
        String method = requestContext.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method) && viewers.maySignIn(request::getHeader)) {
            String path = request.getRequestURI();
            boolean progressOnly = path.endsWith("/progress") || path.endsWith("/complete");
            try {
                viewers.resolve(request).learnerId().ifPresent(id -> changes.changedHere(id, progressOnly));
            } catch (RuntimeException e) {
                // the session could not be read (the database away): then nothing was changed either, and the
                // answer already given (a 503, say) stands
            }
        }
    }
}
