package dev.athanor.platform.web;

import java.time.Year;

/** What every page's frame shows: the site's name and tagline, and the addresses of its stylesheet, icon and scripts. */
public final class Layout {

    private final Site site;
    private final String stylesheet;
    private final String favicon;
    private final String player;

    public Layout(Site site, StaticAssets assets) {
        this.site = site;
        this.stylesheet = assets.url("site.css");
        this.favicon = assets.url("favicon.svg");
        this.player = assets.url("player.js");
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

    /** The lesson player's script. */
    public String player() {
        return player;
    }

    public int year() {
        return Year.now().getValue();
    }
}
