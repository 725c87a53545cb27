package dev.athanor.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.athanor.monitoring.mail.SmtpFactory;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.FreePort;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestMail;
import dev.athanor.testing.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox: mail queued with the change that causes it, and nothing lost while the mail server is down. */
class OutboxTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static Jdbi jdbi;
    private Mail mail;

    @BeforeAll
    static void migrate() {
        new Migrations(DATABASE.dataSource()).migrate();
        jdbi = Database.jdbi(DATABASE.dataSource());
    }

    @BeforeEach
    void emptyOutbox() {
        mail = new MailFactory().build(jdbi, "Test Academy", "https://learn.example.com");
        DATABASE.execute("DELETE FROM outbox");
    }

    @Test
    void aMessageQueuedInARolledBackTransactionIsNeverSent() {
        try {
            jdbi.useTransaction(handle -> {
                mail.queue(handle, "someone@example.com", "welcome", Map.of());
                throw new IllegalStateException("the change failed");
            });
        } catch (IllegalStateException expected) {
            // the change and its mail go together
        }
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM outbox")).isZero();
    }

    @Test
    void whileTheMailServerIsDownMessagesWaitAndGoOutWhenItIsBack() throws Exception {
        int port = FreePort.find();
        OutboxWorker worker = new OutboxWorker(jdbi, MailDelivery.smtp(new SmtpFactory("127.0.0.1", port, false,
                "", "").build()), "Test Academy <hello@learn.example.com>", 3, 100, new MetricRegistry());
        jdbi.useTransaction(handle -> mail.queue(handle, "reader@example.com", "reset",
                Map.of("link", "https://learn.example.com/reset/abc")));

        assertThat(worker.sendDue()).isZero();
        assertThat(DATABASE.<Integer>value("SELECT attempts FROM outbox")).isEqualTo(1);
        assertThat(DATABASE.<Boolean>value("SELECT next_attempt_at > now() + interval '50 seconds' FROM outbox"))
                .as("tried again a minute later").isTrue();
        assertThat(DATABASE.<String>value("SELECT last_error FROM outbox")).isNotBlank();
        assertThat(worker.healthCheck().execute().isHealthy()).as("one failure is not yet a problem").isTrue();

        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        try {
            DATABASE.execute("UPDATE outbox SET next_attempt_at = now()");
            assertThat(worker.sendDue()).isEqualTo(1);
            MimeMessage[] received = server.getReceivedMessages();
            assertThat(received).hasSize(1);
            assertThat(received[0].getSubject()).isEqualTo("Reset your Test Academy password");
            assertThat(TestMail.plainText(received[0])).contains("https://learn.example.com/reset/abc");
            assertThat(TestMail.text(received[0])).contains("<a href=\"https://learn.example.com/reset/abc\"");
            assertThat(worker.sendDue()).as("sent once").isZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void aMessageThatNeverGoesOutIsGivenUpAndTheHealthCheckSaysSo() {
        OutboxWorker worker = new OutboxWorker(jdbi, MailDelivery.smtp(new SmtpFactory("127.0.0.1",
                FreePort.find(), false, "", "").build()), "hello@learn.example.com", 2, 100, new MetricRegistry());
        jdbi.useTransaction(handle -> mail.queue(handle, "reader@example.com", "welcome", Map.of()));
        worker.sendDue();
        DATABASE.execute("UPDATE outbox SET next_attempt_at = now()");
        worker.sendDue();
        assertThat(DATABASE.<Boolean>value("SELECT failed_at IS NOT NULL FROM outbox")).isTrue();
        var health = worker.healthCheck().execute();
        assertThat(health.isHealthy()).isFalse();
        assertThat(health.getMessage()).contains("1 given up in the last day");
    }

    @Test
    void withoutAMailServerMessagesBecomeFilesANewcomerCanOpen() throws Exception {
        Path directory = TestPostgres.newDirectory("mail");
        OutboxWorker worker = new OutboxWorker(jdbi, MailDelivery.files(directory), "hello@localhost", 3, 100,
                new MetricRegistry());
        jdbi.useTransaction(handle -> mail.queue(handle, "new@example.com", "verify",
                Map.of("email", "new@example.com", "link", "http://localhost:8080/verify/xyz", "hours", 72)));
        assertThat(worker.sendDue()).isEqualTo(1);
        List<Path> files;
        try (var listing = Files.list(directory)) {
            files = listing.toList();
        }
        assertThat(files).singleElement().satisfies(file -> assertThat(file.toString()).endsWith(".eml"));
        assertThat(Files.readString(files.get(0))).contains("To: new@example.com",
                "Subject: Confirm your email address for Test Academy", "http://localhost:8080/verify/xyz");
    }
}
