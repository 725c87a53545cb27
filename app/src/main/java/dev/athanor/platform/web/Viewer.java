package dev.athanor.platform.web;

import java.util.Optional;

/**
 * Who is looking at a page: nobody in particular, or a signed-in learner (with their address, whether they have
 * confirmed it, and whether they are the site's operator).
 */
public record Viewer(Optional<Long> learnerId, String email, boolean verified, boolean operator) {

    public static final Viewer ANONYMOUS = new Viewer(Optional.empty(), "", false, false);

    public static Viewer learner(long id) {
        return new Viewer(Optional.of(id), "", true, false);
    }

    public boolean isSignedIn() {
        return learnerId.isPresent();
    }
}
