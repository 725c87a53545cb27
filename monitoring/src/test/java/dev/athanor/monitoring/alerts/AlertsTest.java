package dev.athanor.monitoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.athanor.monitoring.mail.SmtpFactory;
import dev.athanor.monitoring.testing.MutableClock;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert sender against a real SMTP server (GreenMail) and a real HTTP webhook. */
class AlertsTest {

    private static final AlertKey OVERDUE = AlertKey.of("certificate learn.example.com", "overdue");

    @TempDir
    Path state;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
    private int smtpPort;
    private GreenMail mail;

    @BeforeEach
    void startMailServer() throws Exception {
        smtpPort = freePort();
        mail = startSmtp(smtpPort);
    }

    @AfterEach
    void stopMailServer() {
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    void oneMessagePerProblemPerDayAndARecoveryNote() throws Exception {
        Alerts alerts = alerts(Duration.ofDays(1), 10);

        assertThat(alerts.raise(OVERDUE, "learn.example.com is overdue", "renewal failing")).isEqualTo(Delivery.SENT);
        for (int check = 0; check < 5; check++) {
            clock.advance(Duration.ofHours(4));
            assertThat(alerts.raise(OVERDUE, "learn.example.com is overdue", "renewal failing"))
                    .isEqualTo(Delivery.DUPLICATE);
        }
        assertThat(mail.getReceivedMessages()).hasSize(1);

        clock.advance(Duration.ofHours(4)); // 24 h after the first
        assertThat(alerts.raise(OVERDUE, "learn.example.com is overdue", "still failing")).isEqualTo(Delivery.SENT);
        assertThat(alerts.resolve(OVERDUE, "learn.example.com renewed", "all good")).isEqualTo(Delivery.SENT);
        assertThat(alerts.resolve(OVERDUE, "learn.example.com renewed", "all good"))
                .isEqualTo(Delivery.NOTHING_OPEN);

        MimeMessage[] received = mail.getReceivedMessages();
        assertThat(received).extracting(MimeMessage::getSubject).containsExactly(
                "[Athanor] learn.example.com is overdue", "[Athanor] learn.example.com is overdue",
                "[Athanor] RESOLVED: learn.example.com renewed");
        assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
        assertThat(GreenMailUtil.getBody(received[0])).contains("renewal failing")
                .contains("Alert: certificate learn.example.com / overdue");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("alerts.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aSecondProcessSeesTheSameStateOnDisk() {
        alerts(Duration.ofDays(1), 10).raise(OVERDUE, "overdue", "body");

        Alerts another = alerts(Duration.ofDays(1), 10);
        assertThat(another.raise(OVERDUE, "overdue", "body")).isEqualTo(Delivery.DUPLICATE);
        assertThat(another.openProblems()).containsKey(OVERDUE.id());
        assertThat(mail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aFlappingProblemSendsABoundedNumberOfMessages() throws Exception {
        Alerts alerts = alerts(Duration.ofDays(1), 4);
        AlertKey down = AlertKey.of("site", "down");

        for (int flap = 0; flap < 20; flap++) {
            alerts.raise(down, "site down", "no answer");
            clock.advance(Duration.ofMinutes(1));
            alerts.resolve(down, "site up", "answers again");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(mail.getReceivedMessages()).as("40 changes within 40 minutes, 4 messages an hour").hasSize(4);

        clock.advance(Duration.ofHours(1));
        assertThat(alerts.raise(down, "site down", "no answer")).isEqualTo(Delivery.SENT);
        MimeMessage last = mail.getReceivedMessages()[4];
        assertThat(GreenMailUtil.getBody(last)).contains("other alert(s) were held back by the limit of 4 an hour");
    }

    @Test
    void failedSendsAreKeptAndSentLater() throws Exception {
        mail.stop();
        Alerts alerts = alerts(Duration.ofDays(1), 10);

        assertThat(alerts.raise(OVERDUE, "overdue", "body")).isEqualTo(Delivery.QUEUED);
        assertThat(alerts.raise(OVERDUE, "overdue", "body")).as("queued counts as sent").isEqualTo(Delivery.DUPLICATE);
        assertThat(Files.readString(state.resolve("alerts.json"))).contains("\"pending\"").contains("overdue");

        mail = startSmtp(smtpPort);
        assertThat(alerts(Duration.ofDays(1), 10).flush()).isZero();
        assertThat(mail.getReceivedMessages()).extracting(MimeMessage::getSubject).containsExactly("[Athanor] overdue");
    }

    @Test
    void alsoPostsToAWebhookAsSlackJson() throws Exception {
        List<JsonNode> posts = new CopyOnWriteArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            posts.add(new ObjectMapper().readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(posts.size() == 1 ? 500 : 200, -1);
            exchange.close();
        });
        webhook.start();
        try {
            Alerts alerts = new AlertsFactory().withRecipients(List.of("ops@example.com")).withStateDirectory(state)
                    .withWebhookUrl("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook")
                    .withLimits(Duration.ofDays(1), 10, Duration.ofMillis(10))
                    .build(smtp(), clock);

            assertThat(alerts.raise(OVERDUE, "overdue", "body")).as("the first post fails, the retry succeeds")
                    .isEqualTo(Delivery.SENT);
            assertThat(posts).hasSize(2);
            assertThat(posts.get(1).get("text").asText()).startsWith("[Athanor] overdue\n\nbody");
            assertThat(mail.getReceivedMessages()).hasSize(1);
        } finally {
            webhook.stop(0);
        }
    }

    @Test
    void withoutAMailServerAlertsBecomeFiles() throws Exception {
        Alerts alerts = new AlertsFactory().withStateDirectory(state).build(new SmtpFactory(), clock);

        assertThat(alerts.destinations()).containsExactly(
                "files in " + state.resolve("outbox") + " (no SMTP server configured)");
        assertThat(alerts.raise(OVERDUE, "overdue", "body")).isEqualTo(Delivery.SENT);
        try (Stream<Path> files = Files.list(state.resolve("outbox"))) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            assertThat(Files.readString(written.get(0))).startsWith("Subject: [Athanor] overdue\n\nbody");
        }
    }

    private Alerts alerts(Duration repeatEvery, int maxPerHour) {
        return new AlertsFactory().withRecipients(List.of("ops@example.com", " ")).withStateDirectory(state)
                .withLimits(repeatEvery, maxPerHour, Duration.ofMillis(10)).build(smtp(), clock);
    }

    private SmtpFactory smtp() {
        return new SmtpFactory("127.0.0.1", smtpPort, false, "", "");
    }

    private static GreenMail startSmtp(int port) {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
