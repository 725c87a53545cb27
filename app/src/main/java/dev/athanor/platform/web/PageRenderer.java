package dev.athanor.platform.web;

import io.dropwizard.views.common.View;
import io.dropwizard.views.mustache.MustacheViewRenderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Renders a page view to bytes, for the page cache and for error pages (templates are compiled once). */
public final class PageRenderer {

    private final MustacheViewRenderer renderer = new MustacheViewRenderer();

    public byte[] render(View view) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            renderer.render(view, Locale.ENGLISH, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
