package dev.athanor.platform.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The pages signed-in learners load most (a lesson, a course, their account), answered for them before Jersey: a
 * servlet filter behind the security headers, the gzip and the request log, whose routes the contexts add
 * ({@link Web#learnerPage}). The page is the one the Jersey resource renders, from the same code; only the
 * framework's per-request work (routing, injection, filters) is skipped, which is most of a signed-in page's cost.
 *
 * <p>It answers only a plain GET or HEAD of a signed-in viewer whose path is a route's prefix followed by slugs and
 * carries no query; and only when the route has a page (a route says empty for a slug it does not know). Everything
 * else (anonymous viewers, whom the page cache serves; unknown or renamed slugs; forms; queries) goes on to Jersey,
 * which answers as it always did.
 */
public final class LearnerPages implements Filter {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** A page for a signed-in viewer, from the slugs after its prefix; empty to leave the request to Jersey. */
    public interface Route {
        Optional<? extends PageView> page(List<String> slugs, Viewer viewer, HttpServletRequest request);
    }

    private record Entry(String prefix, int slugs, String cacheControl, Route route) {
    }

    /** The page and how it may be kept. */
    private record Found(PageView view, String cacheControl) {
    }

    private final List<Entry> routes = new CopyOnWriteArrayList<>();
    private final Viewers viewers;
    private final Personal personal;
    private final Consumer<String> pageViews;

    /** Renders a page for the viewer asking, with their form token ({@link Web#personal}). */
    interface Personal {
        byte[] render(HttpServletRequest request, HttpServletResponse response, PageView view);
    }

    LearnerPages(Viewers viewers, Personal personal, Consumer<String> pageViews) {
        this.viewers = viewers;
        this.personal = personal;
        this.pageViews = pageViews;
    }

    void add(String prefix, int slugs, String cacheControl, Route route) {
        routes.add(new Entry(prefix, slugs, cacheControl, route));
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        byte[] bytes;
        try {
            Optional<Found> page = page(request);
            if (page.isEmpty()) {
                chain.doFilter(request, response);
                return;
            }
            bytes = personal.render(request, response, page.get().view());
            response.setHeader("Cache-Control", page.get().cacheControl());
        } catch (RuntimeException e) {
            // The database away, say: Jersey's resource meets the same and answers as it does for every page.
            chain.doFilter(request, response);
            return;
        }
        pageViews.accept(request.getRequestURI());
        request.setAttribute(QuietCacheHitsRequestLog.CACHE_HIT, Boolean.TRUE);
        response.setStatus(200);
        response.setContentType(Web.HTML);
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(bytes);
        }
    }

    private Optional<Found> page(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method) || request.getQueryString() != null
                || !viewers.maySignIn(request::getHeader)) {
            return Optional.empty();
        }
        String path = request.getRequestURI();
        for (Entry entry : routes) {
            Optional<List<String>> slugs = slugs(path, entry);
            if (slugs.isPresent()) {
                Viewer viewer = viewers.resolve(request);
                return viewer.isSignedIn() ? entry.route().page(slugs.get(), viewer, request)
                        .map(view -> new Found(view, entry.cacheControl())) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The slugs after {@code entry}'s prefix when the path is exactly that prefix and that many slugs. */
    private static Optional<List<String>> slugs(String path, Entry entry) {
        if (!path.startsWith(entry.prefix())) {
            return Optional.empty();
        }
        String rest = path.substring(entry.prefix().length());
        if (entry.slugs() == 0) {
            return rest.isEmpty() ? Optional.of(List.of()) : Optional.empty();
        }
        if (!rest.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = rest.substring(1).split("/", -1);
        if (parts.length != entry.slugs()) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (!SLUG.matcher(part).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(List.of(parts));
    }
}
