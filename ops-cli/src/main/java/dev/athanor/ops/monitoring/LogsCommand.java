package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.MonitoringFactory;
import dev.athanor.monitoring.logs.LogFilter;
import dev.athanor.monitoring.logs.LogLine;
import dev.athanor.monitoring.logs.LogReader;
import dev.athanor.monitoring.logs.LogSet;
import dev.athanor.ops.shared.ConfigOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ops logs [LOG]}: the site's JSON-line logs and nginx's, rotated and gzipped files included, in time order,
 * filtered, readable on a terminal or raw with {@code --json}; {@code --follow} keeps printing across rotations.
 */
@Command(name = "logs", description = {"Read the logs: app (default), requests, scheduler, nginx (access),"
        + " nginx-error; rotated and gzipped files included, oldest first.",
    "Filters combine: a line must pass all that are given."})
public final class LogsCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "LOG", defaultValue = "app",
            description = "app, requests, scheduler, nginx or nginx-error (default: ${DEFAULT-VALUE}).")
    private String log;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written (Ctrl-C stops);"
            + " survives rotation. Without --since or --lines, starts at the end.")
    private boolean follow;

    @Option(names = "--since", paramLabel = "TIME", description = "From this time: 30m, 1h, 2d, 2026-11-26,"
            + " 2026-11-26T18:00 (the server's time zone) or with an offset.")
    private String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Before this time (same forms as --since).")
    private String until;

    @Option(names = "--level", paramLabel = "LEVEL", description = "At least this level: DEBUG, INFO, WARN, ERROR"
            + " (request lines: 5xx are ERROR, 4xx WARN).")
    private String level;

    @Option(names = "--grep", paramLabel = "TEXT", description = "Lines containing TEXT, ignoring case.")
    private String grep;

    @Option(names = "--status", paramLabel = "STATUS", description = "Request lines with these statuses: 5xx,"
            + " 404, 500-504, 404,5xx.")
    private String status;

    @Option(names = "--path", paramLabel = "PREFIX", description = "Request lines whose path starts with PREFIX.")
    private String path;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "Only the last N matching lines.")
    private Integer lines;

    @Option(names = "--json", description = "Print the lines as they are in the file (JSON lines).")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        AthanorConfiguration configuration = config.load();
        MonitoringFactory monitoring = configuration.getMonitoring();
        LogSet logSet = monitoring.logs(configuration.getStorage().getLogDirectory()).get(log);
        if (logSet == null) {
            throw new ParameterException(spec.commandLine(), "no log named '" + log + "': use one of "
                    + String.join(", ", MonitoringFactory.LOG_NAMES));
        }
        ZoneId zone = ZoneId.systemDefault();
        LogFilter filter = filter(Instant.now(), zone);
        PrintWriter out = spec.commandLine().getOut();
        LogView view = new LogView(Terminal.detect(), zone);
        Consumer<LogLine> print = line -> out.println(json ? line.raw() : view.format(line));
        LogReader reader = new LogReader(zone);
        if (logSet.files().isEmpty() && !follow) {
            spec.commandLine().getErr().println("ops: no " + log + " log at " + logSet.current() + " yet");
            return 0;
        }
        LogReader.Position end;
        if (follow && since == null && lines == null) {
            end = reader.read(logSet, filter.withSince(Instant.now().plusSeconds(3600)), line -> { });
        } else if (lines != null) {
            end = reader.readLast(logSet, filter, lines, print);
        } else {
            end = reader.read(logSet, filter, print);
        }
        out.flush();
        if (follow) {
            try {
                reader.follow(logSet, filter, end, line -> {
                    print.accept(line);
                    out.flush();
                }, Duration.ofMillis(250), () -> !Thread.currentThread().isInterrupted());
            } catch (InterruptedException | java.nio.channels.ClosedByInterruptException e) {
                Thread.currentThread().interrupt(); // Ctrl-C, or a test ending the command
            }
        }
        return 0;
    }

    private LogFilter filter(Instant now, ZoneId zone) {
        try {
            return new LogFilter(since == null ? null : LogFilter.parseTime(since, now, zone),
                    until == null ? null : LogFilter.parseTime(until, now, zone), level, grep,
                    status == null ? List.of() : LogFilter.parseStatuses(status), path);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
