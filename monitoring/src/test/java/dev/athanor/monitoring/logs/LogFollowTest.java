package dev.athanor.monitoring.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --follow}: new lines as they are written, across Logback's rotation and logrotate's copytruncate. */
class LogFollowTest {

    private static final Instant START = Instant.parse("2026-11-26T00:00:00Z");

    @TempDir
    Path logs;

    private final AtomicBoolean following = new AtomicBoolean(true);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread follower;

    @AfterEach
    void stop() throws Exception {
        following.set(false);
        if (follower != null) {
            follower.join(5000);
        }
    }

    @Test
    void followsAcrossARenameAndANewFileWithoutLosingOrRepeatingALine() throws Exception {
        Path current = logs.resolve("app.log");
        List<String> lines = lines(0, 300);
        LogFiles.write(current, lines.subList(0, 10));
        start(new LogSet("app", current, LogFormat.EVENTS));

        LogFiles.append(current, lines.subList(10, 50));
        awaitReceived(40);
        // a line half-written when the follower looks must come out whole, once
        Files.writeString(current, lines.get(50).substring(0, 20), StandardOpenOption.APPEND);
        Thread.sleep(300);
        Files.writeString(current, lines.get(50).substring(20) + "\n", StandardOpenOption.APPEND);
        LogFiles.append(current, lines.subList(51, 100));
        // Logback's rotation: the file is renamed (later compressed) and a new one is started
        Files.move(current, logs.resolve("app-2026-11-26-0.log"));
        awaitReceived(90);
        Thread.sleep(300); // several polls see the name gone
        // a writer that has not reopened its log yet (nginx until its USR1) still writes to the renamed file
        LogFiles.append(logs.resolve("app-2026-11-26-0.log"), lines.subList(100, 120));
        awaitReceived(110);
        LogFiles.write(current, lines.subList(120, 200));
        awaitReceived(190);
        // and once more, the old file removed at once (compressed away)
        Path archived = logs.resolve("app-2026-11-26-1.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archived))) {
            out.write(Files.readAllBytes(current));
        }
        Files.delete(current);
        Thread.sleep(400);
        LogFiles.write(current, lines.subList(200, 300));
        awaitReceived(290);

        assertThat(failure.get()).isNull();
        assertThat(received).containsExactlyElementsOf(lines.subList(10, 300));
    }

    @Test
    void aFileTruncatedInPlaceIsReadAgainFromItsStart() throws Exception {
        Path current = logs.resolve("access.log");
        List<String> lines = lines(0, 60);
        LogFiles.write(current, List.of());
        start(new LogSet("nginx", current, LogFormat.EVENTS));
        LogFiles.append(current, lines.subList(0, 30));
        awaitReceived(30);
        Files.write(current, new byte[0], StandardOpenOption.TRUNCATE_EXISTING); // logrotate's copytruncate
        Thread.sleep(400);
        LogFiles.append(current, lines.subList(30, 40));
        awaitReceived(40);

        assertThat(received).containsExactlyElementsOf(lines.subList(0, 40));
    }

    @Test
    void aWriterThatGoesOnWritingToTheRenamedFileAfterTheNewOneAppearedLosesNothing() throws Exception {
        // nginx under logrotate: rename, a new file, and only later the USR1 that makes nginx reopen its log
        Path current = logs.resolve("access.log");
        List<String> lines = lines(0, 60);
        LogFiles.write(current, lines.subList(0, 10));
        start(new LogSet("nginx", current, LogFormat.EVENTS));
        LogFiles.append(current, lines.subList(10, 20));
        awaitReceived(10);

        Path old = logs.resolve("access.log.1");
        Files.move(current, old);
        LogFiles.write(current, lines.subList(40, 60)); // lines written after the reopen
        Thread.sleep(100);
        LogFiles.append(old, lines.subList(20, 30));
        Thread.sleep(400); // eight polls after the new file appeared
        LogFiles.append(old, lines.subList(30, 40));
        awaitReceived(50);

        assertThat(failure.get()).isNull();
        assertThat(received).as("the old file's lines, then the new file's").containsExactlyElementsOf(
                lines.subList(10, 60));
    }

    @Test
    void aRemovedFileIsLetGoOnceQuietAndANewOneIsFollowedFromItsStart() throws Exception {
        Path current = logs.resolve("app.log");
        List<String> lines = lines(0, 30);
        LogFiles.write(current, lines.subList(0, 10));
        start(new LogSet("app", current, LogFormat.EVENTS), new LogReader(ZoneOffset.UTC, Duration.ofMillis(300)));
        LogFiles.append(current, lines.subList(10, 20));
        awaitReceived(10);
        String name = current.toRealPath().toString();

        Files.delete(current);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (openDescriptorsOf(name) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(openDescriptorsOf(name)).as("the removed file is closed, so its space is freed").isZero();

        LogFiles.write(current, lines.subList(20, 30));
        awaitReceived(20);
        assertThat(failure.get()).isNull();
        assertThat(received).containsExactlyElementsOf(lines.subList(10, 30));
    }

    /** How many of this process's file descriptors are open on {@code name}, removed or not (Linux). */
    private static long openDescriptorsOf(String name) throws Exception {
        try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals(name) || target.equals(name + " (deleted)");
                } catch (Exception e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    private void start(LogSet log) throws Exception {
        start(log, new LogReader(ZoneOffset.UTC));
    }

    private void start(LogSet log, LogReader reader) throws Exception {
        LogReader.Position end = reader.read(log, LogFilter.NONE.withSince(START.plusSeconds(100_000)), line -> { });
        follower = new Thread(() -> {
            try {
                reader.follow(log, LogFilter.NONE, end, line -> received.add(line.raw()), Duration.ofMillis(50),
                        following::get);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        follower.start();
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // and nothing more than expected arrives
        assertThat(received).hasSize(count);
    }

    private static List<String> lines(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(LogFiles.appLine(START.plusSeconds(i), "INFO", "line " + i));
        }
        return lines;
    }
}
