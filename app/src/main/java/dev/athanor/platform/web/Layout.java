package dev.athanor.platform.web;

import java.time.Year;

/** What every page's frame shows: the site's name and tagline, and the addresses of its stylesheet and icon. */
public final class Layout {

    private final Site site;
    private final String stylesheet;
    private final String favicon;

    public Layout(Site site, StaticAssets assets) {
        this.site = site;
        this.stylesheet = assets.url("site.css");
        this.favicon = assets.url("favicon.svg");
    }

    public Site site() {
        return site;
    }

    public String siteName() {
        return site.name();
    }

    public String tagline() {
        return site.tagline();
    }

    public String stylesheet() {
        return stylesheet;
    }

    public String favicon() {
        return favicon;
    }

    public int year() {
        return Year.now().getValue();
    }
}
