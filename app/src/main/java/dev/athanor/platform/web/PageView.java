package dev.athanor.platform.web;

import io.dropwizard.views.common.View;
import java.nio.charset.StandardCharsets;

/**
 * A page in the site's layout. Subclasses name a Mustache template that extends
 * {@code /dev/athanor/platform/web/layout.mustache} and fills its {@code title} and {@code main} blocks; the layout
 * writes the description, the canonical address and the Open Graph tags from what is given here.
 */
public abstract class PageView extends View {

    private final Layout layout;
    private final String title;
    private final String description;
    private final String path;
    private final String openGraphType;
    private Viewer viewer = Viewer.ANONYMOUS;
    private String csrf;

    protected PageView(String template, Layout layout, String title) {
        this(template, layout, title, layout.tagline(), null, "website");
    }

    /**
     * @param path the page's own address (such as {@code /courses/intro}), for the canonical link; null for pages
     *     that have none (errors, search results)
     */
    protected PageView(String template, Layout layout, String title, String description, String path,
            String openGraphType) {
        super(template, StandardCharsets.UTF_8);
        this.layout = layout;
        this.title = title;
        this.description = description;
        this.path = path;
        this.openGraphType = openGraphType;
    }

    public Layout getLayout() {
        return layout;
    }

    /** The page's own title; the layout adds the site's name after it. */
    public String getTitle() {
        return title;
    }

    public String getDescription() {
        return description;
    }

    /** The absolute canonical address, or null. */
    public String getCanonicalUrl() {
        return path == null ? null : layout.site().baseUrl() + path;
    }

    public String getOpenGraphType() {
        return openGraphType;
    }

    /** Who the page is rendered for (anonymous for pages that go into the shared cache). */
    public Viewer getViewer() {
        return viewer;
    }

    /** The form token for this page's forms; null on pages that have none (and may be cached). */
    public String getCsrf() {
        return csrf;
    }

    /** Set by {@link Web} just before rendering. */
    void prepare(Viewer viewer, String csrf) {
        this.viewer = viewer;
        this.csrf = csrf;
    }
}
