package dev.athanor.platform.web;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/clear-page-cache} on the admin port: drops every cached page on this node, for the operator
 * who wants to be sure, and for the benchmark that times renders with the cache empty.
 */
final class ClearPageCacheTask extends Task {

    private final PageCache cache;

    ClearPageCacheTask(PageCache cache) {
        super("clear-page-cache");
        this.cache = cache;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        cache.invalidateAll();
        output.println("Page cache cleared.");
    }
}
