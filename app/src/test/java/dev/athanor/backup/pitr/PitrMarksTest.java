package dev.athanor.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The row-count marks on the site's migrated schema, taken while writers keep writing. */
class PitrMarksTest {

    private static TestDatabase database;

    @BeforeAll
    static void migrate() {
        database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        database.execute("CREATE TABLE ticks (id BIGSERIAL PRIMARY KEY, writer INT NOT NULL,"
                + " written_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())");
        database.execute("CREATE TABLE tocks (id BIGSERIAL PRIMARY KEY, written_at TIMESTAMPTZ NOT NULL"
                + " DEFAULT clock_timestamp())");
    }

    @Test
    void countsEveryTableOfTheSchemaButTheMarksAndQuartzs() throws Exception {
        database.execute("INSERT INTO tocks DEFAULT VALUES");
        database.execute("INSERT INTO tocks DEFAULT VALUES");
        PitrMark mark;
        try (Connection connection = database.connect()) {
            mark = PitrMarks.mark(connection);
            assertThat(connection.getAutoCommit()).as("auto-commit as it was").isTrue();
        }

        Set<String> expected = new TreeSet<>(database.list("SELECT 'public.' || tablename FROM pg_tables"
                + " WHERE schemaname = 'public' AND tablename <> 'pitr_marks' AND tablename NOT LIKE 'qrtz%'"
                + " AND tablename NOT IN ('throttle', 'api_rate_bucket')", String.class));
        assertThat(mark.counts().keySet()).containsExactlyInAnyOrderElementsOf(expected)
                .contains("public.flyway_schema_history", "public.ticks").doesNotContain("public.pitr_marks")
                .as("unlogged: any restored copy starts them empty").doesNotContain("public.throttle")
                .noneMatch(table -> table.contains("qrtz"));
        assertThat(mark.counts()).containsEntry("public.tocks", (long) database.<Long>value(
                "SELECT count(*) FROM tocks"));
        assertThat(database.<Long>value("SELECT count(*) FROM pitr_marks WHERE id = ?", mark.id())).isEqualTo(1L);
    }

    @Test
    void theNewestMarkOlderThanAnAgeIsFoundWithItsCounts() throws Exception {
        try (Connection connection = database.connect()) {
            PitrMark old = PitrMarks.mark(connection);
            database.execute("UPDATE pitr_marks SET marked_at = marked_at - interval '20 minutes' WHERE id = ?",
                    old.id());
            PitrMark fresh = PitrMarks.mark(connection);

            PitrMark found = PitrMarks.newestOlderThan(connection, Duration.ofMinutes(10)).orElseThrow();
            assertThat(found.id()).isEqualTo(old.id());
            assertThat(found.counts()).isEqualTo(old.counts());
            assertThat(PitrMarks.newestOlderThan(connection, Duration.ZERO).orElseThrow().id())
                    .isEqualTo(fresh.id());
            assertThat(PitrMarks.newestOlderThan(connection, Duration.ofDays(1))).isEmpty();

            assertThat(PitrMarks.deleteOlderThan(connection, fresh.markedAt().minusSeconds(60))).isEqualTo(1);
            assertThat(PitrMarks.newestOlderThan(connection, Duration.ofMinutes(10))).isEmpty();
        }
    }

    @Test
    void comparingNamesTheTablesThatDiffer() throws Exception {
        assertThat(PitrMarks.compare(Map.of("public.a", 3L, "public.b", 4L), Map.of("public.a", 3L, "public.b", 4L,
                "public.c", 9L))).isEmpty();
        assertThat(PitrMarks.compare(Map.of("public.a", 3L, "public.b", 4L, "public.c", 1L),
                Map.of("public.a", 3L, "public.b", 5L)))
                .containsExactly("public.b: 4 at the mark, 5 restored", "public.c: 1 at the mark, missing");

        try (Connection connection = database.connect()) {
            PitrMark mark = PitrMarks.mark(connection);
            Map<String, Long> recounted = PitrMarks.count(connection, mark.counts().keySet());
            assertThat(recounted).as("nothing written since").isEqualTo(mark.counts());
            assertThat(PitrMarks.count(connection, List.of("public.nothing_here", "public.tocks", "it's")))
                    .containsOnlyKeys("public.tocks");
            assertThat(PitrMarks.count(connection, List.of())).isEmpty();
            database.execute("CREATE SCHEMA \"Odd Schema\"");
            database.execute("CREATE TABLE \"Odd Schema\".\"Mixed Case\" (n INT)");
            database.execute("INSERT INTO \"Odd Schema\".\"Mixed Case\" VALUES (1), (2)");
            assertThat(PitrMarks.count(connection, List.of("Odd Schema.Mixed Case")))
                    .containsExactly(Map.entry("Odd Schema.Mixed Case", 2L));
        }
    }

    /**
     * Writers insert all the time, some holding their transaction open a little after the insert; each row carries
     * the time of its insert. A mark's counts must be exactly the rows written before its moment: none committed
     * late, none missed.
     */
    @Test
    void marksTakenUnderConcurrentWritesAreExactAtTheirMoment() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        CountDownLatch started = new CountDownLatch(3);
        List<Future<Long>> written = new ArrayList<>();
        for (int writer = 0; writer < 3; writer++) {
            int id = writer;
            written.add(writers.submit(() -> write(id, stop, started)));
        }
        List<PitrMark> marks = new ArrayList<>();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            try (Connection connection = database.connect()) {
                for (int i = 0; i < 15; i++) {
                    Thread.sleep(40);
                    marks.add(PitrMarks.mark(connection));
                }
            }
        } finally {
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        }
        long total = 0;
        for (Future<Long> writer : written) {
            total += writer.get();
        }
        assertThat(total).as("rows written meanwhile").isGreaterThan(100);

        for (PitrMark mark : marks) {
            long before = database.<Long>value("SELECT count(*) FROM ticks WHERE written_at <= ?",
                    Timestamp.from(mark.markedAt()));
            long tocks = database.<Long>value("SELECT count(*) FROM tocks WHERE written_at <= ?",
                    Timestamp.from(mark.markedAt()));
            assertThat(mark.counts().get("public.ticks")).as("ticks at mark %d", mark.id()).isEqualTo(before);
            assertThat(mark.counts().get("public.tocks")).as("tocks at mark %d", mark.id()).isEqualTo(tocks);
        }
        assertThat(marks.stream().map(mark -> mark.counts().get("public.ticks")).distinct().count())
                .as("the counts moved between marks").isGreaterThan(5);
    }

    /** Inserts rows, alternately committing at once and after holding the transaction open a few milliseconds. */
    private static long write(int writer, AtomicBoolean stop, CountDownLatch started) throws SQLException,
            InterruptedException {
        long rows = 0;
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            started.countDown();
            try (PreparedStatement tick = connection.prepareStatement("INSERT INTO ticks (writer) VALUES (?)");
                    Statement statement = connection.createStatement()) {
                while (!stop.get()) {
                    tick.setInt(1, writer);
                    tick.executeUpdate();
                    if (rows % 2 == 0) {
                        Thread.sleep(3);
                        statement.executeUpdate("INSERT INTO tocks DEFAULT VALUES");
                    }
                    connection.commit();
                    rows++;
                }
            }
        }
        return rows;
    }

    @Test
    void aWriterHoldingItsLockPastTheLockTimeoutIsWaitedForOnTheNextTry() throws Exception {
        long tocks = database.<Long>value("SELECT count(*) FROM tocks");
        try (Connection writer = database.connect(); Connection marker = database.connect()) {
            writer.setAutoCommit(false);
            try (Statement statement = writer.createStatement()) {
                statement.executeUpdate("INSERT INTO tocks DEFAULT VALUES");
            }
            Thread committer = new Thread(() -> {
                try {
                    Thread.sleep(PitrMarks.LOCK_TIMEOUT.toMillis() + 300);
                    writer.commit();
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            committer.start();
            long began = System.nanoTime();
            PitrMark mark = PitrMarks.mark(marker);
            committer.join();

            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("the first try timed out")
                    .isGreaterThan(PitrMarks.LOCK_TIMEOUT);
            assertThat(mark.counts()).containsEntry("public.tocks", tocks + 1);
        }
    }

    @Test
    void aWriterHoldingItsLockThroughEveryTryFailsTheMarkWithTheLockError() throws Exception {
        try (Connection writer = database.connect(); Connection marker = database.connect()) {
            writer.setAutoCommit(false);
            try (Statement statement = writer.createStatement()) {
                statement.executeUpdate("INSERT INTO tocks DEFAULT VALUES");
            }
            assertThatThrownBy(() -> PitrMarks.mark(marker)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("lock timeout");
            writer.rollback();
            try (ResultSet rows = marker.createStatement().executeQuery("SELECT count(*) FROM pitr_marks")) {
                assertThat(rows.next()).as("the connection is usable after").isTrue();
            }
        }
    }
}
