package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.ops.testing.CertsSetup;
import dev.athanor.ops.testing.Pebble;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.FakeStripe;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's other periodic jobs, fired by {@code ops scheduler} running as its own process: each does the work
 * of its command ({@code ops certs renew} against a real ACME server, {@code ops billing reconcile} against a fake
 * Stripe, {@code ops digest --send} to GreenMail), is listed by {@code ops scheduler status}, and a failed run is
 * recorded and alerted once, with one recovery note when it works again.
 */
class SchedulerJobsTest {

    @Test
    void reconcileAndTheDigestDoTheirCommandsWorkAndAFailedRunIsAlertedOnce() throws Exception {
        TestDatabase database = migratedDatabase();
        GreenMail mail = new GreenMail(new ServerSetup(TestPostgres.freePort(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try (FakeStripe stripe = new FakeStripe("sk_test_fake")) {
            stripe.emit("customer.created", Map.of("id", "cus_missed", "object", "customer"));
            stripe.failNext("/v1/events", 6);
            Path directory = TestPostgres.newDirectory("scheduler-jobs");
            Path config = TestConfig.on(database, directory)
                    .set("STRIPE_SECRET_KEY", "sk_test_fake")
                    .set("STRIPE_PRICE_MONTHLY", "price_monthly")
                    .replace("\nbilling:\n", "\nbilling:\n  apiBase: " + stripe.url() + "\n")
                    .set("ATHANOR_ALERT_EMAIL", "ops@example.com")
                    .set("SMTP_HOST", "127.0.0.1")
                    .set("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()))
                    .replace("startTls: true", "startTls: false")
                    .section("scheduler", """
                              jobs:
                                billing-reconcile: "0/2 * * * * ?"
                                digest: "0/15 * * * * ?"
                                certs-renew: "0/15 * * * * ?"
                              randomDelays: {}
                              misfireThreshold: 1 second
                              checkinInterval: 1 second
                              stopTimeout: 30 seconds
                            """)
                    .write(directory);
            JobRuns runs = new JobRuns(database.dataSource());

            try (JavaProcess daemon = JavaProcess.start(directory.resolve("scheduler.out"), Ops.class,
                    "scheduler", "run", "--config", config.toString())) {
                assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
                awaitRun(runs, "billing-reconcile", "failed", daemon);
                awaitRun(runs, "billing-reconcile", "succeeded", daemon);
                awaitRun(runs, "digest", "succeeded", daemon);
                awaitRun(runs, "certs-renew", "succeeded", daemon);

                OpsRun status = OpsRun.of("scheduler", "status", "--config", config.toString());
                // billing-reconcile fires every 2 seconds: its latest run may be under way as status reads it
                assertThat(status.out()).containsPattern("(?m)^billing-reconcile +\\S+ +\\d{4}-.* (succeeded|running) ")
                        .containsPattern("(?m)^digest +\\S+ +\\d{4}-.* succeeded ")
                        .containsPattern("(?m)^certs-renew +\\S+ +\\d{4}-.* succeeded ");
                assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
            }

            assertThat(details(runs, "billing-reconcile", "succeeded")).first().asString()
                    .isEqualTo("1 undelivered event(s): 0 applied, 0 already applied, 1 of no concern");
            assertThat(database.<Long>value("SELECT count(*) FROM stripe_event WHERE source = 'reconcile'"))
                    .isEqualTo(1);
            assertThat(details(runs, "billing-reconcile", "failed")).first().asString().contains("fake outage");
            assertThat(details(runs, "digest", "succeeded")).first().asString()
                    .matches("\"weekly: .*\" sent");
            assertThat(details(runs, "certs-renew", "succeeded")).first().asString()
                    .startsWith("No certificates managed");

            List<String> subjects = Arrays.stream(mail.getReceivedMessages()).map(SchedulerJobsTest::subject)
                    .toList();
            assertThat(subjects).filteredOn(subject -> subject.contains("billing-reconcile")).containsExactly(
                    "[Athanor] Scheduled job billing-reconcile failed",
                    "[Athanor] RESOLVED: scheduled job billing-reconcile works again");
            assertThat(subjects).filteredOn(subject -> subject.startsWith("[Athanor] weekly: ")).isNotEmpty();
            MimeMessage digest = Arrays.stream(mail.getReceivedMessages())
                    .filter(message -> subject(message).startsWith("[Athanor] weekly: ")).findFirst().orElseThrow();
            assertThat(GreenMailUtil.getBody(digest)).contains("Backups").contains("next billing-reconcile: ");
        } finally {
            mail.stop();
        }
    }

    @Test
    void certsRenewIssuesTheConfiguredCertificateAndAFailedOrderSendsOneMail() throws Exception {
        assumeTrue(Pebble.installed(), "pebble is not installed (./dev test installs it)");
        TestDatabase database = migratedDatabase();
        Path directory = TestPostgres.newDirectory("scheduler-certs");
        try (CertsSetup setup = CertsSetup.start(directory.resolve("acme"), Duration.ofDays(90), 0)) {
            Path servedNothing = directory.resolve("not-served");
            Path failing = certsConfig(database, directory.resolve("failing"),
                    setup.set("webroot", servedNothing.toString()));
            try (JavaProcess daemon = JavaProcess.start(directory.resolve("failing.out"), Ops.class, "scheduler", "run",
                    "--config", failing.toString())) {
                assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
                JobRuns runs = new JobRuns(database.dataSource());
                awaitRun(runs, "certs-renew", "failed", daemon);
                assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
            }
            assertThat(Arrays.stream(setup.mail().getReceivedMessages()).map(SchedulerJobsTest::subject))
                    .as("the renewal-failed alert, and no second one for the job")
                    .containsExactly("[Athanor] localhost: certificate renewal failed");

            setup.set("webroot", setup.webroot().toString());
            TestDatabase fresh = migratedDatabase();
            Path working = certsConfig(fresh, directory.resolve("working"), setup);
            try (JavaProcess daemon = JavaProcess.start(directory.resolve("working.out"), Ops.class, "scheduler", "run",
                    "--config", working.toString())) {
                assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
                JobRuns runs = new JobRuns(fresh.dataSource());
                awaitRun(runs, "certs-renew", "succeeded", daemon);
                awaitRun(runs, "certs-check", "succeeded", daemon);
                assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
                assertThat(details(runs, "certs-renew", "succeeded")).first().asString()
                        .startsWith("localhost: issued; valid until");
                assertThat(details(runs, "certs-check", "succeeded")).last().asString().startsWith("OK localhost");
            }
            CertificateFiles files = new CertificateFiles(setup.certificate());
            assertThat(CertificateDetails.of(files.currentChain().orElseThrow().get(0)).names())
                    .containsExactly("localhost");
            assertThat(Files.exists(setup.reloadMarker())).as("the reload command ran").isTrue();
        }
    }

    /** The shipped config.yml on {@code database}, with the certificates of {@code setup} and its mail server. */
    private static Path certsConfig(TestDatabase database, Path directory, CertsSetup setup) throws Exception {
        return TestConfig.on(database, directory)
                .section("certificates", setup.certificatesYaml())
                .set("ATHANOR_ALERT_EMAIL", "ops@example.com")
                .set("SMTP_HOST", "127.0.0.1")
                .set("SMTP_PORT", Integer.toString(setup.mail().getSmtp().getPort()))
                .replace("startTls: true", "startTls: false")
                .section("scheduler", """
                          jobs:
                            certs-renew: "0/2 * * * * ?"
                            certs-check: "1/2 * * * * ?"
                          randomDelays: {}
                          misfireThreshold: 1 second
                          checkinInterval: 1 second
                          stopTimeout: 30 seconds
                        """)
                .write(directory);
    }

    private static void awaitRun(JobRuns runs, String job, String outcome, JavaProcess daemon) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (details(runs, job, outcome).isEmpty()) {
            assertThat(System.nanoTime()).as(job + " " + outcome + "\n" + daemon.output()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static List<String> details(JobRuns runs, String job, String outcome) throws Exception {
        return runs.all().stream().filter(run -> run.job().equals(job) && run.outcome().equals(outcome))
                .map(run -> run.detail().orElse("")).toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestDatabase migratedDatabase() {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        return database;
    }
}
