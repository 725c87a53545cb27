package dev.athanor.platform.web;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The site's error responses: an HTML page in the layout for browsers, a small JSON object for the API, never a stack
 * trace. Jersey's exception mappers and Jetty's error handler both answer through this class, so an error looks the
 * same wherever it arose.
 */
public final class ErrorPages {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Layout layout;
    private final PageRenderer renderer;

    public ErrorPages(Layout layout, PageRenderer renderer) {
        this.layout = layout;
        this.renderer = renderer;
    }

    /** A short random reference that ties an error page to its log entry. */
    public static String newReference() {
        return String.format(Locale.ROOT, "%08x", RANDOM.nextInt());
    }

    /** Whether a request for {@code path} should get JSON errors (the API) rather than pages. */
    public static boolean wantsJson(String path, String accept) {
        return path.startsWith("/api/") || (accept != null && accept.startsWith("application/json"));
    }

    /** The HTML page for {@code status}. */
    public String html(int status, Optional<String> reference) {
        ErrorView view = new ErrorView(layout, status, heading(status), explanation(status, reference), reference);
        return new String(renderer.render(view), StandardCharsets.UTF_8);
    }

    /**
     * The JSON body for {@code status}, in the shape the API documents for its own errors:
     * {@code {"error":{"code":"not_found","message":"..."}}}, with the {@code reference} of a 5xx beside them.
     */
    public String json(int status, Optional<String> reference) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        String message = new String(encoder.quoteAsString(explanation(status, reference)));
        return "{\"error\":{\"code\":\"" + code(status) + "\",\"message\":\"" + message + "\""
                + reference.map(id -> ",\"reference\":\"" + id + "\"").orElse("") + "}}";
    }

    /** The stable code of a status in JSON errors: its reason phrase in snake case ({@code not_found}). */
    static String code(int status) {
        return HttpStatus.getMessage(status).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    private static String heading(int status) {
        return switch (status) {
            case 404 -> "Page not found";
            case 500 -> "Something went wrong";
            case 503 -> "Back in a moment";
            default -> HttpStatus.getMessage(status);
        };
    }

    private static String explanation(int status, Optional<String> reference) {
        return switch (status) {
            case 400 -> "The request could not be understood. Check the address or the form and try again.";
            case 403 -> "You do not have access to this page.";
            case 404 -> "There is nothing at this address. It may have moved, or the link may be mistyped.";
            case 405 -> "This address does not accept that kind of request.";
            case 413 -> "What you sent is too large.";
            case 414 -> "The address is too long.";
            case 415 -> "This address does not accept what was sent in that format.";
            case 431 -> "The request's headers are too large.";
            case 429 -> "Too many requests in a short time. Wait a little and try again.";
            case 503 -> "The site is briefly unavailable (busy, being updated, or waiting for its database)."
                    + " Please try again in a few seconds.";
            // Only an error with a reference was logged under it; without one, claim no log entry.
            default -> status >= 500
                    ? "We could not show this page." + reference.map(id -> " The problem has been logged; if it"
                            + " keeps happening, quote reference " + id + ".").orElse(" Please try again later.")
                    : HttpStatus.getMessage(status) + ".";
        };
    }
}
