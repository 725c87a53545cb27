package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.athanor.monitoring.health.HealthHistory;
import dev.athanor.monitoring.health.HealthState;
import dev.athanor.ops.testing.BackgroundOps;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.ToggleServer;
import dev.athanor.testing.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops health --watch} against a site that goes down and comes back, with GreenMail as the operator's mail
 * server: one alert when it goes down, one recovery note when it is back, however many polls in between; and a
 * flapping site cannot send more than the alert sender's hourly limit.
 */
class HealthWatchTest {

    @TempDir
    Path temp;

    private GreenMail mail;
    private ToggleServer site;

    @BeforeEach
    void start() throws Exception {
        int smtpPort = TestPostgres.freePort();
        mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        site = new ToggleServer();
    }

    @AfterEach
    void stop() {
        site.close();
        mail.stop();
    }

    @Test
    void downThenUpSendsExactlyOneAlertAndOneRecovery() throws Exception {
        OpsConfig config = new OpsConfig(temp).mailTo(mail.getSmtp().getPort());
        try (BackgroundOps watch = new BackgroundOps("health", "--watch", "--interval", "100ms", site.healthUrl(),
                "--admin", site.base(), "--config", config.write().toString())) {
            assertThat(watch.awaitOut(out -> out.contains(" UP: all healthy"), Duration.ofSeconds(10)))
                    .as(watch.out() + watch.err()).isTrue();

            site.up(false);
            assertThat(watch.awaitOut(out -> out.contains(" DOWN (was UP)"), Duration.ofSeconds(10))).isTrue();
            int pollsWhenDown = site.polls();
            assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
            awaitPolls(site, pollsWhenDown + 15); // many more polls of a site that stays down
            assertThat(mail.getReceivedMessages()).as("one alert for the whole outage").hasSize(1);

            site.up(true);
            assertThat(watch.awaitOut(out -> out.contains(" UP (was DOWN)"), Duration.ofSeconds(10))).isTrue();
            assertThat(mail.waitForIncomingEmail(5000, 2)).isTrue();
            int pollsWhenUp = site.polls();
            awaitPolls(site, pollsWhenUp + 15);
            assertThat(watch.stop()).isZero();
        }

        MimeMessage[] mails = mail.getReceivedMessages();
        assertThat(mails).extracting(MimeMessage::getSubject).containsExactly(
                "[Athanor] site is DOWN: " + site.healthUrl() + " answered 503",
                "[Athanor] RESOLVED: site is up again after " + upAfter(mails[1]));
        assertThat(GreenMailUtil.getBody(mails[0])).contains("Visitors cannot use the site")
                .contains("ops logs app --since 15m");
        assertThat(new HealthHistory(temp.resolve("monitoring")).read()).extracting(HealthHistory.Change::state)
                .containsExactly(HealthState.UP, HealthState.DOWN, HealthState.UP);
    }

    @Test
    void aFlappingSiteSendsNoMoreThanTheHourlyLimit() throws Exception {
        OpsConfig config = new OpsConfig(temp).mailTo(mail.getSmtp().getPort())
                .set("alerts", "maxPerHour", "4")
                .set("monitoring", "confirmations", "1");
        site.flapping(true);
        try (BackgroundOps watch = new BackgroundOps("health", "--watch", "--interval", "50ms", site.healthUrl(),
                "--admin", site.base(), "--config", config.write().toString())) {
            assertThat(watch.awaitOut(out -> out.split("\\(was ").length > 20, Duration.ofSeconds(20)))
                    .as("at least 20 changes of state").isTrue();
            watch.stop();
        }
        Thread.sleep(300);
        assertThat(mail.getReceivedMessages()).as("20 changes, 4 messages an hour").hasSize(4);
    }

    /** Waits until the watch has polled {@code site} {@code polls} times in all: a watch that stopped fails here. */
    private static void awaitPolls(ToggleServer site, int polls) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (site.polls() < polls) {
            assertThat(System.nanoTime()).as("the watch is still polling (%d of %d polls)", site.polls(), polls)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The duration the recovery subject names, read back from it ("100 ms" to "2 s" on a loaded machine). */
    private static String upAfter(MimeMessage recovery) throws Exception {
        return recovery.getSubject().substring(recovery.getSubject().indexOf(" after ") + 7);
    }
}
