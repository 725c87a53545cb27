package dev.athanor.content;

import dev.athanor.platform.web.Layout;
import dev.athanor.platform.web.PageView;

/** The front page: who the site is and what a learner finds here. */
public final class HomeView extends PageView {

    HomeView(Layout layout) {
        super("home.mustache", layout, layout.siteName());
    }
}
