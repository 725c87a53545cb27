package dev.athanor.monitoring.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotated, gzipped and current files read in time order, and filters that return exactly the matching lines. */
class LogReaderTest {

    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    private static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "ERROR");
    private static final List<String> PATHS = List.of("/", "/courses/java", "/courses/java/intro", "/assets/site.css",
            "/health", "/articles/why");

    @TempDir
    Path logs;

    private final LogReader reader = new LogReader(ZoneOffset.UTC);

    @Test
    void logbackArchivesGzippedOrNotAreReadByDateAndIndexThenTheCurrentFile() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(LogFiles.appLine(START.plus(Duration.ofHours(i)), "INFO", "line " + i));
        }
        // written in an order that differs from the time order, with an unrelated file beside them
        LogFiles.write(logs.resolve("app.log"), lines.subList(40, 50));
        LogFiles.writeGzipped(logs.resolve("app-2026-11-21-1.log.gz"), lines.subList(30, 40));
        LogFiles.writeGzipped(logs.resolve("app-2026-11-20-0.log.gz"), lines.subList(0, 10));
        LogFiles.write(logs.resolve("app-2026-11-21-0.log"), lines.subList(20, 30));
        LogFiles.writeGzipped(logs.resolve("app-2026-11-20-1.log.gz"), lines.subList(10, 20));
        LogFiles.write(logs.resolve("requests.log"), List.of(LogFiles.requestLine(START, "GET", "/", 200)));

        assertThat(read(new LogSet("app", logs.resolve("app.log"), LogFormat.EVENTS), LogFilter.NONE))
                .containsExactlyElementsOf(lines);
    }

    @Test
    void logrotateNumbersAndDatesAreReadOldestFirst() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(LogFiles.requestLine(START.plus(Duration.ofMinutes(i)), "GET", "/" + i, 200));
        }
        LogFiles.writeGzipped(logs.resolve("access.log.3.gz"), lines.subList(0, 10));
        LogFiles.writeGzipped(logs.resolve("access.log.2.gz"), lines.subList(10, 20));
        LogFiles.write(logs.resolve("access.log.1"), lines.subList(20, 30));
        LogFiles.write(logs.resolve("access.log"), lines.subList(30, 40));
        assertThat(read(new LogSet("nginx", logs.resolve("access.log"), LogFormat.REQUESTS), LogFilter.NONE))
                .containsExactlyElementsOf(lines);

        Path dated = logs.resolve("dated");
        LogFiles.writeGzipped(dated.resolve("access.log-20261120.gz"), lines.subList(0, 20));
        LogFiles.write(dated.resolve("access.log-20261121"), lines.subList(20, 30));
        LogFiles.write(dated.resolve("access.log"), lines.subList(30, 40));
        assertThat(read(new LogSet("nginx", dated.resolve("access.log"), LogFormat.REQUESTS), LogFilter.NONE))
                .containsExactlyElementsOf(lines);
    }

    @Test
    void everyFilterReturnsExactlyTheMatchingLines() throws Exception {
        Random random = new Random(8);
        List<Generated> app = new ArrayList<>();
        List<Generated> requests = new ArrayList<>();
        Instant time = START;
        for (int i = 0; i < 30_000; i++) {
            time = time.plusMillis(1 + random.nextInt(60_000));
            String level = LEVELS.get(random.nextInt(LEVELS.size()));
            app.add(new Generated(LogFiles.appLine(time, level, "event " + i + (i % 7 == 0 ? " Timeout" : "")),
                    time, level, 0, null));
            int status = List.of(200, 200, 200, 304, 404, 403, 500, 502, 503).get(random.nextInt(9));
            String path = PATHS.get(random.nextInt(PATHS.size()));
            requests.add(new Generated(LogFiles.requestLine(time, "GET", path, status), time, null, status, path));
        }
        writeRotated("app", app);
        writeRotated("requests", requests);
        LogSet appLog = new LogSet("app", logs.resolve("app.log"), LogFormat.EVENTS);
        LogSet requestLog = new LogSet("requests", logs.resolve("requests.log"), LogFormat.REQUESTS);
        Instant since = app.get(27_345).time();
        Instant until = app.get(29_000).time();
        Instant early = app.get(3_000).time();

        assertExact(appLog, app, new LogFilter(null, null, "WARN", null, List.of(), null),
                line -> line.level().equals("WARN") || line.level().equals("ERROR"));
        assertExact(appLog, app, new LogFilter(since, null, null, null, List.of(), null),
                line -> !line.time().isBefore(since));
        assertExact(appLog, app, new LogFilter(early, until, "ERROR", "timeout", List.of(), null),
                line -> !line.time().isBefore(early) && line.time().isBefore(until) && line.level().equals("ERROR")
                        && line.raw().contains("Timeout"));
        assertExact(requestLog, requests, new LogFilter(null, null, null, null, LogFilter.parseStatuses("5xx"),
                null), line -> line.status() >= 500);
        assertExact(requestLog, requests, new LogFilter(since, null, null, null, LogFilter.parseStatuses("404,502"),
                "/courses/java"), line -> !line.time().isBefore(since) && (line.status() == 404
                        || line.status() == 502) && line.path().startsWith("/courses/java"));
        assertExact(requestLog, requests, new LogFilter(null, null, "WARN", null, List.of(), "/health"),
                line -> line.status() >= 400 && line.path().equals("/health"));
    }

    @Test
    void sinceSeeksIntoTheCurrentFileAndSkipsOlderArchives() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            lines.add(LogFiles.appLine(START.plusSeconds(i), "INFO", "line " + i));
        }
        LogFiles.write(logs.resolve("app.log"), lines);
        // a corrupt archive from long ago: reading it would fail the test, so it must be skipped
        Files.write(logs.resolve("app-2026-11-01-0.log.gz"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(logs.resolve("app-2026-11-01-0.log.gz"),
                FileTime.from(Instant.parse("2026-11-02T00:00:00Z")));
        LogSet app = new LogSet("app", logs.resolve("app.log"), LogFormat.EVENTS);

        for (int first : new int[] {0, 1, 99_999, 150_000, 199_999}) {
            List<String> read = read(app, LogFilter.NONE.withSince(START.plusSeconds(first)));
            assertThat(read).as("since line %d", first).hasSize(200_000 - first);
            assertThat(read.get(0)).isEqualTo(lines.get(first));
        }
        assertThat(read(app, LogFilter.NONE.withSince(START.plusSeconds(200_000)))).isEmpty();
        LogReader.Position end = reader.read(app, LogFilter.NONE.withSince(START.plusSeconds(200_000)), line -> { });
        assertThat(end.offset()).isEqualTo(Files.size(logs.resolve("app.log")));
    }

    @Test
    void theLastLinesOnly() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add(LogFiles.appLine(START.plusSeconds(i), i % 2 == 0 ? "INFO" : "ERROR", "line " + i));
        }
        LogFiles.write(logs.resolve("app.log"), lines);
        List<String> last = new ArrayList<>();
        reader.readLast(new LogSet("app", logs.resolve("app.log"), LogFormat.EVENTS),
                new LogFilter(null, null, "ERROR", null, List.of(), null), 3, line -> last.add(line.raw()));
        assertThat(last).containsExactly(lines.get(95), lines.get(97), lines.get(99));
    }

    private record Generated(String raw, Instant time, String level, int status, String path) {
    }

    /** Half the lines in gzipped daily archives, the rest in the current file; archives dated by their content. */
    private void writeRotated(String name, List<Generated> lines) throws Exception {
        int split = lines.size() / 2;
        List<String> archived = lines.subList(0, split).stream().map(Generated::raw).toList();
        Path archive = logs.resolve(name + "-2026-11-20-0.log.gz");
        LogFiles.writeGzipped(archive, archived);
        Files.setLastModifiedTime(archive, FileTime.from(lines.get(split - 1).time()));
        LogFiles.write(logs.resolve(name + ".log"), lines.subList(split, lines.size()).stream()
                .map(Generated::raw).toList());
    }

    private void assertExact(LogSet log, List<Generated> all, LogFilter filter, Predicate<Generated> expected)
            throws Exception {
        List<String> wanted = all.stream().filter(expected).map(Generated::raw).toList();
        assertThat(wanted).as("the test's own selection").isNotEmpty().hasSizeLessThan(all.size());
        assertThat(read(log, filter)).containsExactlyElementsOf(wanted);
    }

    private List<String> read(LogSet log, LogFilter filter) throws Exception {
        List<String> read = new ArrayList<>();
        reader.read(log, filter, line -> read.add(line.raw()));
        return read;
    }
}
