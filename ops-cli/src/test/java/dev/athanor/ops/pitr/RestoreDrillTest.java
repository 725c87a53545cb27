package dev.athanor.ops.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.backup.pitr.PitrMark;
import dev.athanor.backup.pitr.PitrMarks;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.PitrFixture;
import dev.athanor.platform.db.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops pitr drill} end to end on the embedded default with its repository on S3Proxy over HTTPS: a mark taken
 * while a writer keeps inserting is restored to exactly; a mark whose counts the repository cannot give back fails the
 * drill and alerts; either way the scratch cluster is stopped and deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreDrillTest {

    @TempDir
    static Path temp;

    private static PitrFixture site;
    private static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pgbackrest")), "pgbackrest is not installed (./dev test"
                + " installs it)");
        site = PitrFixture.create(temp, "2 seconds", config -> config);
        data = site.work().resolve("data");
        new Migrations(site.start().dataSource("test")).migrate();
        OpsRun setup = site.ops("pitr", "setup", "--yes");
        assertThat(setup.exitCode()).as(setup.err() + setup.out()).isZero();
        try (Connection connection = site.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ticks (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT"
                    + " clock_timestamp())");
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    @Test
    @Order(1)
    void withNoMarkOldEnoughThereIsNothingToDrill() {
        OpsRun drill = site.ops("pitr", "drill", "--mark-age", "1h");

        assertThat(drill.exitCode()).as(drill.err()).isZero();
        assertThat(drill.out()).startsWith("Nothing to drill yet: no row-count mark more than 1 h old");
        assertThat(data.resolve(DrillResult.FILE)).doesNotExist();
    }

    @Test
    @Order(2)
    void restoresToAMarkTakenUnderWritesAndEveryCountMatches() throws Exception {
        PitrMark mark = markWhileWriting();

        OpsRun drill = site.ops("pitr", "drill", "--mark-age", "2s");

        assertThat(drill.exitCode()).as(drill.err() + drill.out()).isZero();
        assertThat(drill.out()).contains("Restoring to mark " + mark.id(), "passed: every count matched");
        DrillResult result = DrillResult.last(data).orElseThrow();
        assertThat(result.passed()).isTrue();
        assertThat(result.markId()).isEqualTo(mark.id());
        assertThat(result.markedAt()).isEqualTo(mark.markedAt());
        assertThat(mark.counts().get("public.ticks")).isGreaterThan(20);
        assertNothingLeftBehind();

        OpsRun status = site.ops("pitr", "status");
        assertThat(status.out()).containsPattern("(?m)^Drill: +drill \\S+ to mark " + mark.id() + " .* passed");
        OpsRun overview = site.ops("status");
        assertThat(overview.out()).as(overview.err())
                .containsPattern("(?m)^PITR +nothing waiting; last archived [0-9A-F]{24} .* ago$")
                .containsPattern("(?m)^PITR +window 20\\S+Z to 20\\S+Z \\(\\d+ (s|min)( \\d+ s)?\\)$")
                .containsPattern("(?m)^PITR +drill \\S+ to mark " + mark.id() + " .* passed");
    }

    @Test
    @Order(3)
    void countsTheRestoreCannotGiveBackFailTheDrillWhichAlerts() throws Exception {
        PitrMark mark = markWhileWriting();
        long ticks = mark.counts().get("public.ticks");
        try (Connection connection = site.connect(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE pitr_marks SET counts = jsonb_set(counts, '{public.ticks}', to_jsonb("
                    + (ticks + 1) + ")) WHERE id = " + mark.id());
        }

        OpsRun drill = site.ops("pitr", "drill", "--mark-age", "2s", "--json");

        assertThat(drill.exitCode()).as(drill.err() + drill.out()).isEqualTo(70);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(drill.out());
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.at("/drill/markId").asLong()).isEqualTo(mark.id());
        assertThat(json.at("/drill/differences/0").asText()).isEqualTo("public.ticks: " + (ticks + 1)
                + " at the mark, " + ticks + " restored");
        assertThat(drill.err()).as("the progress").contains("to mark " + mark.id(), "FAILED: 1 table(s) differ:"
                + " public.ticks: " + (ticks + 1) + " at the mark, " + ticks + " restored");
        assertThat(DrillResult.last(data).orElseThrow().passed()).isFalse();
        assertNothingLeftBehind();
        AthanorConfiguration configuration = ConfigOption.of(site.config()).load();
        assertThat(configuration.getAlerts().build(configuration.getSmtp()).openProblems())
                .containsKey("pitr / drill");
    }

    /** A mark taken while a writer inserts, then a few seconds more of writes, all archived. */
    private static PitrMark markWhileWriting() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection connection = site.connect();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO ticks DEFAULT VALUES")) {
                while (!stop.get()) {
                    insert.executeUpdate();
                    written.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "ticks");
        writer.start();
        PitrMark mark;
        try (Connection connection = site.connect(); Statement statement = connection.createStatement()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > 20);
            mark = PitrMarks.mark(connection);
            long at = written.get();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > at + 20);
            Thread.sleep(2500); // older than --mark-age 2s
            stop.set(true);
            writer.join();
            PitrFixture.awaitArchived(statement);
        }
        return mark;
    }

    private static void assertNothingLeftBehind() throws Exception {
        assertThat(data.resolve("pitr/drill")).doesNotExist();
        assertThat(data.resolve("pitr/drill.log")).doesNotExist();
        Process postgres = new ProcessBuilder("pgrep", "-f", data.resolve("pitr/drill").toString()).start();
        assertThat(postgres.waitFor()).as("no process runs in the scratch directory").isEqualTo(1);
    }


    private static String text(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
