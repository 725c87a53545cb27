package dev.athanor.platform.web;

import java.util.Optional;

/** The site's error page: what went wrong in plain words, and a reference to quote when the fault is ours. */
public final class ErrorView extends PageView {

    private final int status;
    private final String explanation;
    private final String reference;

    ErrorView(Layout layout, int status, String heading, String explanation, Optional<String> reference) {
        super("error.mustache", layout, heading);
        this.status = status;
        this.explanation = explanation;
        this.reference = reference.orElse(null);
    }

    public int getStatus() {
        return status;
    }

    public String getExplanation() {
        return explanation;
    }

    public String getReference() {
        return reference;
    }
}
