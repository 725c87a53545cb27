package dev.athanor.admin;

import dev.athanor.content.ImportReport;
import dev.athanor.content.Pages;
import dev.athanor.events.Events;
import dev.athanor.platform.web.Layout;
import dev.athanor.platform.web.PageView;
import java.util.List;

/** The operator pages' views. */
final class AdminViews {

    private AdminViews() {
    }

    /** The content and what can be done with it. */
    public static final class Dashboard extends PageView {
        public final List<Pages.InventoryItem> items;
        public final boolean canReimport;
        public final String contentDirectory;
        /** Lessons with a video and no captions, as "course/lesson". */
        public final List<String> uncaptioned;

        Dashboard(Layout layout, List<Pages.InventoryItem> items, String contentDirectory, List<String> uncaptioned) {
            super("dashboard.mustache", layout, "Operator");
            this.items = items;
            this.uncaptioned = uncaptioned;
            this.canReimport = contentDirectory != null;
            this.contentDirectory = contentDirectory;
        }
    }

    /** What an import did, or why it failed. */
    public static final class Imported extends PageView {
        public final ImportReport report;
        public final String error;

        Imported(Layout layout, ImportReport report, String error) {
            super("imported.mustache", layout, error == null ? "Imported" : "Import failed");
            this.report = report;
            this.error = error;
        }
    }

    /** Counts per day and the top lessons. */
    public static final class Activity extends PageView {
        public final List<Events.DailyCounts> days;
        public final List<Row> lessons;

        Activity(Layout layout, List<Events.DailyCounts> days, List<Row> lessons) {
            super("activity.mustache", layout, "Activity");
            this.days = days;
            this.lessons = lessons;
        }

        /** A lesson and its counts. */
        public record Row(String name, long starts, long completions) {
        }
    }
}
