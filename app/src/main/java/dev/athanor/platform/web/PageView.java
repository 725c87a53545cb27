package dev.athanor.platform.web;

import io.dropwizard.views.common.View;
import java.nio.charset.StandardCharsets;

/**
 * A page in the site's layout. Subclasses name a Mustache template that extends
 * {@code /dev/athanor/platform/web/layout.mustache} and fills its {@code title} and {@code main} blocks.
 */
public abstract class PageView extends View {

    private final Layout layout;
    private final String title;

    protected PageView(String template, Layout layout, String title) {
        super(template, StandardCharsets.UTF_8);
        this.layout = layout;
        this.title = title;
    }

    public Layout getLayout() {
        return layout;
    }

    /** The page's own title; the layout adds the site's name after it. */
    public String getTitle() {
        return title;
    }
}
