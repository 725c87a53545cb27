package dev.athanor.content;

import dev.athanor.common.Durations;
import java.time.Duration;

/**
 * A visitor's search ran longer than {@code content.searchTimeout} and PostgreSQL cancelled it: the search page says
 * so and suggests narrower words, instead of holding a connection of the site's pool for as long as the query likes.
 */
public final class SearchTimeoutException extends RuntimeException {

    private final Duration timeout;

    SearchTimeoutException(String query, Duration timeout) {
        super("search for \"" + query + "\" took longer than " + Durations.human(timeout) + " and was cancelled");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
