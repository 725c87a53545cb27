package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.backup.scheduler.SchedulerDaemon;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Quartz clustered on the site's PostgreSQL, with real separate processes as nodes: with two nodes sharing the
 * database, every fire runs exactly once; a job longer than its interval never overlaps itself across the nodes; and
 * fires missed while no node ran are made up once at start, not once per missed fire.
 */
class SchedulerClusterTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(60);

    @Test
    void twoNodesRunEachFireExactlyOnce() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("cluster");
        String[] jobs = {"tick-1=* * * * * ?", "tick-2=* * * * * ?", "tick-3=* * * * * ?", "tick-4=* * * * * ?",
                "tick-5=* * * * * ?"};
        JobRuns runs = new JobRuns(database.dataSource());
        try (JavaProcess first = node(database, directory.resolve("node-1.log"), 50, 10, jobs);
                JavaProcess second = node(database, directory.resolve("node-2.log"), 50, 10, jobs)) {
            assertThat(first.awaitOutput("started", START)).as(first.output()).isTrue();
            assertThat(second.awaitOutput("started", START)).as(second.output()).isTrue();

            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (runs.all().size() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(first.stopNode(STOP)).isZero();
            assertThat(second.stopNode(STOP)).isZero();
        }

        List<JobRuns.Run> all = runs.all();
        assertThat(all).as("200 fires within two minutes").hasSizeGreaterThanOrEqualTo(200);
        Map<String, List<JobRuns.Run>> perFire = all.stream().collect(Collectors.groupingBy(
                run -> run.job() + "@" + run.scheduledAt().orElseThrow()));
        assertThat(perFire.values()).as("no fire ran twice").allMatch(fire -> fire.size() == 1);
        for (String job : List.of("tick-1", "tick-2", "tick-3", "tick-4", "tick-5")) {
            List<Instant> fires = all.stream().filter(run -> run.job().equals(job))
                    .map(run -> run.scheduledAt().orElseThrow()).sorted().toList();
            long seconds = Duration.between(fires.get(0), fires.get(fires.size() - 1)).toSeconds();
            assertThat(fires).as("no fire of " + job + " was lost").hasSize((int) seconds + 1);
        }
        assertThat(all).allMatch(run -> "succeeded".equals(run.outcome()));
        assertThat(all.stream().map(JobRuns.Run::instanceId).distinct().count())
                .as("both nodes took fires").isEqualTo(2);
    }

    /**
     * Two nodes starting together once fired a second twice: one found no trigger yet, the other stored it and fired
     * it, then the first stored its own in its place. A node now makes the stored jobs match its configuration only
     * while it holds the job store's lock.
     */
    @Test
    void aNodeSchedulesItsJobsOnlyWhileNoOtherNodeDoes() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("cluster-lock");
        try (Connection other = database.connect()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, SchedulerDaemon.RECONCILE_LOCK);
                lock.execute();
            }
            try (JavaProcess node = node(database, directory.resolve("node.log"), 50, 10, "tick=* * * * * ?")) {
                assertThat(node.awaitOutput("Waiting for another scheduler node", START)).as(node.output()).isTrue();
                Thread.sleep(500);
                assertThat(node.output()).as("the node waits while another holds the lock")
                        .doesNotContain("Scheduled tick");
                assertThat(database.<Long>value("SELECT count(*) FROM qrtz_triggers")).isZero();

                other.commit();
                assertThat(node.awaitOutput("started", START)).as(node.output()).isTrue();
                assertThat(database.<Long>value("SELECT count(*) FROM qrtz_triggers")).isEqualTo(1L);
                assertThat(node.stopNode(STOP)).isZero();
            }
        }
    }

    @Test
    void aJobLongerThanItsIntervalNeverOverlapsItself() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("overlap");
        JobRuns runs = new JobRuns(database.dataSource());
        try (JavaProcess first = node(database, directory.resolve("node-1.log"), 2500, 1, "slow=* * * * * ?");
                JavaProcess second = node(database, directory.resolve("node-2.log"), 2500, 1, "slow=* * * * * ?")) {
            assertThat(first.awaitOutput("started", START)).as(first.output()).isTrue();
            assertThat(second.awaitOutput("started", START)).as(second.output()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (finished(runs) < 4 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(first.stopNode(STOP)).isZero();
            assertThat(second.stopNode(STOP)).isZero();
        }

        List<JobRuns.Run> all = new ArrayList<>(runs.all());
        all.sort(Comparator.comparing(JobRuns.Run::startedAt));
        assertThat(all).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).startedAt()).as("run %d starts after run %d ended", i, i - 1)
                    .isAfterOrEqualTo(all.get(i - 1).finishedAt().orElseThrow());
        }
    }

    @Test
    void firesMissedWhileNoNodeRanAreMadeUpOnceAtStart() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("misfire");
        JobRuns runs = new JobRuns(database.dataSource());
        Instant now = Instant.now();
        // Three fires FIRST seconds from now, two apart, then none for a minute: time enough for a node to start
        // and stop before them on a loaded machine.
        int first = 25;
        String cron = List.of(first, first + 2, first + 4).stream().map(delay -> Integer.toString(
                (int) ((now.getEpochSecond() + delay) % 60))).collect(Collectors.joining(",")) + " * * * * ?";
        try (JavaProcess scheduling = node(database, directory.resolve("node-1.log"), 10, 1, "late=" + cron)) {
            assertThat(scheduling.awaitOutput("started", START)).as(scheduling.output()).isTrue();
            assertThat(scheduling.stopNode(STOP)).isZero();
        }
        assertThat(Instant.now()).as("the node stopped before the first fire was due")
                .isBefore(now.plusSeconds(first));
        Thread.sleep(Duration.between(Instant.now(), now.plusSeconds(first + 7)).toMillis());
        assertThat(runs.all()).isEmpty();

        Instant restart = Instant.now();
        try (JavaProcess later = node(database, directory.resolve("node-2.log"), 10, 1, "late=" + cron)) {
            assertThat(later.awaitOutput("started", START)).as(later.output()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (runs.all().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(5000);
            assertThat(later.stopNode(STOP)).isZero();
        }

        List<JobRuns.Run> all = runs.all();
        assertThat(all).as("three missed fires make one run").singleElement()
                .satisfies(run -> assertThat(run.startedAt()).isAfter(restart));
        assertThat(Duration.between(now, Instant.now())).as("done before the next regular fire, a minute later")
                .isLessThan(Duration.ofSeconds(60 + first));
    }

    @Test
    void aFailingJobIsRecordedAndAlertedAndTheDaemonGoesOn() throws Exception {
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("failing-job");
        JobRuns runs = new JobRuns(database.dataSource());
        try (JavaProcess node = node(database, directory.resolve("node.log"), 10, 1, "fail-nightly=* * * * * ?",
                "tick=* * * * * ?")) {
            assertThat(node.awaitOutput("started", START)).as(node.output()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (runs.all().stream().filter(run -> "failed".equals(run.outcome())).count() < 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(node.output()).contains("ALERT job-fail-nightly: Scheduled job fail-nightly failed");
            assertThat(node.stopNode(STOP)).as("the daemon is still there to stop").isZero();
        }

        List<JobRuns.Run> failed = runs.all().stream().filter(run -> run.job().equals("fail-nightly")).toList();
        assertThat(failed).hasSizeGreaterThanOrEqualTo(3).allSatisfy(run -> {
            assertThat(run.outcome()).isEqualTo("failed");
            assertThat(run.detail()).contains("the disk is full");
            assertThat(run.finishedAt()).isPresent();
        });
        assertThat(runs.all()).filteredOn(run -> run.job().equals("tick"))
                .as("other jobs keep running").isNotEmpty().allMatch(run -> "succeeded".equals(run.outcome()));
    }

    private static long finished(JobRuns runs) throws Exception {
        return runs.all().stream().filter(run -> run.finishedAt().isPresent()).count();
    }

    private static TestDatabase migratedDatabase() {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        return database;
    }

    private static JavaProcess node(TestDatabase database, Path log, long taskMillis, int misfireSeconds,
            String... jobs) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(database.jdbcUrl(), database.user(), database.password(),
                Long.toString(taskMillis), Integer.toString(misfireSeconds)));
        arguments.addAll(List.of(jobs));
        return JavaProcess.start(log, ClusterNode.class, arguments.toArray(new String[0]));
    }

}
