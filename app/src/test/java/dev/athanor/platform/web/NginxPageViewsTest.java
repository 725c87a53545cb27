package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The page views nginx appends to its log reach the site's counter each once: across both release slots' readers
 * while they overlap (in one process and in two), across a restart, a line nginx is still writing once it ends, and across the log being emptied;
 * a line that is not a path is skipped.
 */
class NginxPageViewsTest {

    private final Path folder = TestPostgres.newDirectory("pages");
    private final Path log = folder.resolve(NginxPageViews.LOG_NAME);
    private final List<String> counted = new CopyOnWriteArrayList<>();

    @Test
    void eachLineIsCountedOnceByTwoSlotsReadersAndAfterARestart() throws Exception {
        NginxPageViews first = new NginxPageViews(folder, counted::add);
        NginxPageViews second = new NginxPageViews(folder, counted::add);
        first.start();
        assertThat(log).as("made by the site").exists();
        assertThat(Files.getPosixFilePermissions(log)).as("its group may empty it once nginx made www-data the owner")
                .contains(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE);
        for (int i = 0; i < 100; i++) {
            nginxWrites("/courses/java/intro\n");
        }
        nginxWrites("/\nnot a path\n\n/articles/news");
        second.readNew();
        first.readNew();
        assertThat(counted).as("the last line is still being written").hasSize(101).contains("/")
                .filteredOn("/courses/java/intro"::equals).hasSize(100);

        nginxWrites("-and-more\n/courses/java/intro\n");
        first.stop(); // reads once more as it stops
        NginxPageViews restarted = new NginxPageViews(folder, counted::add);
        restarted.readNew();
        second.readNew();
        assertThat(counted).hasSize(103).endsWith("/articles/news-and-more", "/courses/java/intro");
    }

    @Test
    void aReadLogIsEmptiedOnlyOnceNginxIsQuietAndThenGoesOnFromItsStart() throws Exception {
        NginxPageViews reader = new NginxPageViews(folder, 100, counted::add);
        Files.createFile(log);
        for (int i = 0; i < 10; i++) {
            nginxWrites("/courses/java/intro\n");
        }
        reader.readNew();
        assertThat(Files.size(log)).as("nginx wrote just now").isEqualTo(200);

        Files.setLastModifiedTime(log, FileTime.from(Instant.now().minus(NginxPageViews.QUIET).minusSeconds(1)));
        reader.readNew();
        assertThat(Files.size(log)).as("read, long enough, and quiet").isZero();
        assertThat(counted).hasSize(10);

        nginxWrites("/articles/news\n"); // nginx appends: at the start of the emptied log
        reader.readNew();
        assertThat(counted).hasSize(11).endsWith("/articles/news");
    }

    @Test
    void readersInTwoProcessesCountEachLineOnce() throws Exception {
        Path stop = folder.resolve("stop");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OtherSlot.class.getName(), folder.toString(), stop.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            NginxPageViews reader = new NginxPageViews(folder, counted::add);
            reader.start();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!Files.exists(folder.resolve("ready")) && System.nanoTime() < deadline) {
                Thread.sleep(20); // the other JVM starting
            }
            for (int chunk = 0; chunk < 200; chunk++) {
                nginxWrites("/courses/java/intro\n".repeat(100));
                reader.readNew();
                Thread.sleep(3);
            }
            Files.createFile(stop);
            assertThat(other.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            reader.stop();
            int theOthers = Integer.parseInt(new String(other.getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).strip());
            assertThat(theOthers).as("the other process read some of them").isPositive();
            assertThat(counted.size() + theOthers).as("and each line was counted once").isEqualTo(20_000);
        } finally {
            other.destroyForcibly();
        }
    }

    /** The other release slot's reader, in a process of its own: prints how many it counted once told to stop. */
    static final class OtherSlot {

        public static void main(String[] args) throws Exception {
            java.util.concurrent.atomic.AtomicInteger counted = new java.util.concurrent.atomic.AtomicInteger();
            NginxPageViews reader = new NginxPageViews(Path.of(args[0]), path -> counted.incrementAndGet());
            Path stop = Path.of(args[1]);
            reader.readNew();
            Files.createFile(Path.of(args[0]).resolve("ready"));
            while (!Files.exists(stop)) {
                reader.readNew();
                Thread.sleep(2);
            }
            reader.readNew();
            System.out.println(counted.get());
        }
    }

    @Test
    void aLineIsAPathOrNothing() {
        assertThat(NginxPageViews.path("/articles/news")).isEqualTo("/articles/news");
        assertThat(NginxPageViews.path("/a b")).isNull();
        assertThat(NginxPageViews.path("articles/news")).isNull();
        assertThat(NginxPageViews.path("/" + "a".repeat(600))).isNull();
    }

    private void nginxWrites(String text) throws Exception {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
