package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.athanor.backup.testing.FaultInjectingProxy;
import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The backups' alerts reach the operator's inbox through the alert sender, with GreenMail as the mail server and the
 * scheduler running as systemd runs it: a scheduled backup that keeps failing (its storage refuses every upload) sends
 * exactly one mail naming the problem, not one for the backup and another for the job, and the first backup that
 * succeeds afterwards sends one recovery note.
 */
class SchedulerAlertsTest {

    @Test
    void aFailingScheduledBackupSendsOneMailAndItsRecoveryOnce() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        GreenMail mail = new GreenMail(new ServerSetup(TestPostgres.freePort(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try (TestS3 s3 = TestS3.start(); FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint())) {
            Path directory = TestPostgres.newDirectory("scheduler-alerts");
            Path config = TestConfig.on(database, directory)
                    .s3(proxy.endpoint())
                    .set("ATHANOR_ALERT_EMAIL", "ops@example.com")
                    .set("SMTP_HOST", "127.0.0.1")
                    .set("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()))
                    .replace("startTls: true", "startTls: false")
                    .replace("# uploadAttempts: 6", "uploadAttempts: 1")
                    .section("scheduler", """
                              jobs:
                                backup-daily: "0/2 * * * * ?"
                              misfireThreshold: 1 second
                              checkinInterval: 1 second
                              stopTimeout: 30 seconds
                            """)
                    .write(directory);
            proxy.failPartUploads((request, seenBefore) -> true);

            try (JavaProcess daemon = JavaProcess.start(directory.resolve("scheduler.out"), Ops.class,
                    "scheduler", "run", "--config", config.toString())) {
                assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
                awaitRuns(database, "failed", 3);
                assertThat(mail.getReceivedMessages()).as("three failed backups, one mail").hasSize(1);

                proxy.failPartUploads((request, seenBefore) -> false);
                awaitRuns(database, "succeeded", 2);
                assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
            }

            MimeMessage[] mails = mail.getReceivedMessages();
            assertThat(mails).extracting(MimeMessage::getSubject).hasSize(2)
                    .satisfies(subjects -> assertThat(subjects.get(0)).matches(
                            "\\[Athanor] Backup \\d{8}T\\d{6}Z-daily failed"))
                    .element(1).isEqualTo("[Athanor] RESOLVED: backups work again");
            assertThat(GreenMailUtil.getBody(mails[0])).contains("could not upload").contains("injected part failure")
                    .contains("Alert: backup / failed");
            assertThat(GreenMailUtil.getBody(mails[1])).containsPattern("Backup \\d{8}T\\d{6}Z-daily of .* is"
                    + " complete");
            assertThat(mails[0].getAllRecipients()).extracting(Object::toString).containsExactly("ops@example.com");
        } finally {
            mail.stop();
        }
    }

    private static void awaitRuns(TestDatabase database, String outcome, long runs) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (Databases.queryLong(database, "SELECT count(*) FROM scheduler_job_runs WHERE outcome = '" + outcome
                + "'") < runs) {
            assertThat(System.nanoTime()).as(runs + " runs " + outcome).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
