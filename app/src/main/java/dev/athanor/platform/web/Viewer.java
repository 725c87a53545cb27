package dev.athanor.platform.web;

import java.util.Optional;

/** Who is looking at a page: nobody in particular, or a signed-in learner. */
public record Viewer(Optional<Long> learnerId) {

    public static final Viewer ANONYMOUS = new Viewer(Optional.empty());

    public static Viewer learner(long id) {
        return new Viewer(Optional.of(id));
    }

    public boolean isSignedIn() {
        return learnerId.isPresent();
    }
}
