package dev.athanor.ops.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The killed-import drill: {@code ops content import} run as a process of its own on a folder of 600 articles and
 * killed with SIGKILL (a power cut, the OOM killer) once its transaction has begun writing. Every table is exactly as
 * before (sequences aside: PostgreSQL never rolls them back), and the next import succeeds with the whole folder.
 */
class KilledImportDrillTest {

    private static final int ARTICLES = 600;
    private static final String WRITING_ARTICLES = """
            SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND c.relname = 'article' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()""";
    private static final String OTHER_SESSIONS = """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'""";

    private final TestDatabase database = TestPostgres.shared().createDatabase();
    private final Path directory = TestPostgres.newDirectory("killed-import");

    @Test
    void anImportKilledMidTransactionChangesNothingAndTheNextOneImportsEverything() throws Exception {
        Path config = TestConfig.on(database, directory.resolve("data")).write(directory);
        Path demo = Path.of("..", "content", "demo");
        OpsRun before = OpsRun.of("content", "import", demo.toString(), "--config", config.toString());
        assertThat(before.exitCode()).as(before.err()).isZero();
        Map<String, String> tables = tables();
        Path folder = bigFolder();

        long writingAfter;
        try (JavaProcess ops = JavaProcess.start(directory.resolve("ops.log"), Ops.class, "content", "import",
                folder.toString(), "--config", config.toString())) {
            long started = System.nanoTime();
            while (Databases.queryLong(database, WRITING_ARTICLES) == 0) {
                assertThat(ops.isAlive()).as("ops is still importing; its output:%n%s", ops.output()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
                Thread.sleep(10);
            }
            writingAfter = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(ops.kill(Duration.ofSeconds(30))).as("killed by SIGKILL").isEqualTo(137);
        }
        awaitNoOtherSession();

        assertThat(tables()).as("every table as before the killed import").isEqualTo(tables);

        long reimport = System.nanoTime();
        OpsRun again = OpsRun.of("content", "import", folder.toString(), "--config", config.toString());
        long reimported = Duration.ofNanos(System.nanoTime() - reimport).toMillis();
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains(ARTICLES + " created, 0 changed, 0 renamed");
        assertThat(Databases.queryLong(database, "SELECT count(*) FROM article WHERE published_at IS NOT NULL"))
                .isEqualTo(ARTICLES);
        assertThat(Databases.queryLong(database, "SELECT count(DISTINCT article_id) FROM article_tag"))
                .isGreaterThanOrEqualTo(ARTICLES);
        OpsRun unchanged = OpsRun.of("content", "import", folder.toString(), "--config", config.toString());
        assertThat(unchanged.out()).contains("0 created, 0 changed, 0 renamed, 0 unpublished, " + ARTICLES
                + " unchanged");
        System.out.printf("KilledImportDrillTest: killed %d ms after the start, once the transaction was writing"
                + " articles; nothing changed; the re-import created %d articles in %d ms%n", writingAfter, ARTICLES,
                reimported);
    }

    private Path bigFolder() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(TestPostgres.newDirectory("big-folder"));
        String paragraph = "A paragraph with **bold** words, `code` and a [link](https://example.com). ".repeat(8);
        for (int i = 1; i <= ARTICLES; i++) {
            folder.article("article-" + i + ".md", "title: Article " + i + "\nslug: article-" + i
                    + "\nsummary: Number " + i + "\ntags: [Java, Drill " + (i % 20) + "]\npublished: 2026-01-01\n",
                    ("## Part " + i + "\n\n" + paragraph + "\n\n").repeat(4));
        }
        return folder.root();
    }

    /** Every table's rows, as checksums; sequences left out, since a rolled-back nextval() is not undone. */
    private Map<String, String> tables() throws Exception {
        Map<String, String> tables = new TreeMap<>(Databases.checksums(database));
        tables.keySet().removeIf(name -> name.startsWith("sequence "));
        return tables;
    }

    /** Waits until the killed client's server session has ended (and with it, its transaction). */
    private void awaitNoOtherSession() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Databases.queryLong(database, OTHER_SESSIONS) > 0) {
            assertThat(System.nanoTime()).as("the killed import's session ends").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
