package dev.athanor.ops.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.athanor.events.Events;
import dev.athanor.ops.SiteParts;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ops events}: what learners did, per day, and the lessons started most. */
@Command(name = "events", description = "Show page views, lesson starts, completions and video deliveries.")
public final class EventsCommand implements Callable<Integer> {

    @Option(names = "--days", defaultValue = "14", description = "How many days back (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--top", defaultValue = "10", description = "How many lessons to list (default: ${DEFAULT-VALUE}).")
    private int top;

    @Mixin
    private JsonOption json;

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (SiteParts site = SiteParts.open(config)) {
            Events events = site.events();
            List<Events.DailyCounts> daily = events.daily(days);
            List<Events.LessonCount> lessons = events.topLessons(days, top);
            Map<Long, String> names = site.content().lessonNames(lessons.stream().map(Events.LessonCount::lessonId)
                    .toList());
            PrintWriter out = spec.commandLine().getOut();
            if (json.enabled()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("days", daily);
                result.put("topLessons", lessons.stream().map(lesson -> Map.of("lessonId", lesson.lessonId(),
                        "lesson", names.getOrDefault(lesson.lessonId(), "?"), "starts", lesson.starts(),
                        "completions", lesson.completions())).toList());
                out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                        .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .writeValueAsString(result));
                return 0;
            }
            out.printf("%-10s %10s %10s %11s %10s%n", "DAY", "VIEWS", "STARTS", "COMPLETIONS", "VIDEOS");
            for (Events.DailyCounts day : daily) {
                out.printf("%-10s %10d %10d %11d %10d%n", day.day(), day.pageViews(), day.lessonStarts(),
                        day.completions(), day.videoDeliveries());
            }
            out.println();
            out.println(lessons.isEmpty() ? "No lesson started in the last " + days + " days."
                    : "Lessons started most in the last " + days + " days:");
            for (Events.LessonCount lesson : lessons) {
                out.printf("%6d starts %6d completions  %s%n", lesson.starts(), lesson.completions(),
                        names.getOrDefault(lesson.lessonId(), "lesson " + lesson.lessonId()));
            }
            return 0;
        }
    }
}
