package dev.athanor.mail;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import dev.athanor.platform.FailureStreak;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import dev.athanor.mail.OutboxDao.Message;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds. Every couple of seconds it takes due messages (locked with {@code SKIP LOCKED}, so
 * several nodes share the work without sending twice), sends each, and on failure tries again later with doubling
 * waits (one minute, two, four, ...) until {@code mail.maxAttempts}, when the message is marked failed. Metrics:
 * {@code dev.athanor.mail.sent}, {@code .failed}, {@code .retried} and the queue depth; the {@code mail} health
 * check turns unhealthy when messages wait too long or have failed.
 */
final class OutboxWorker implements Managed {

    private static final Logger LOGGER = LoggerFactory.getLogger(OutboxWorker.class);
    private static final int BATCH = 20;

    private final Jdbi jdbi;
    private final MailDelivery delivery;
    private final String from;
    private final int maxAttempts;
    private final long pollMillis;
    private final Meter sent;
    private final Meter failed;
    private final Meter retried;
    private final AtomicLong depth = new AtomicLong();
    private final FailureStreak outboxReads = new FailureStreak(LOGGER, "The outbox could not be read");
    private volatile boolean running;
    private Thread thread;

    OutboxWorker(Jdbi jdbi, MailDelivery delivery, String from, int maxAttempts, long pollMillis,
            MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.delivery = delivery;
        this.from = from;
        this.maxAttempts = maxAttempts;
        this.pollMillis = pollMillis;
        this.sent = metrics.meter("dev.athanor.mail.sent");
        this.failed = metrics.meter("dev.athanor.mail.failed");
        this.retried = metrics.meter("dev.athanor.mail.retried");
        metrics.register("dev.athanor.mail.queued", (Gauge<Long>) depth::get);
    }

    @Override
    public void start() {
        LOGGER.info("Mail goes out through {}", delivery.describe());
        running = true;
        thread = new Thread(this::loop, "outbox-worker");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    /** Sends every message that is due now; returns how many were sent. */
    int sendDue() {
        int total = 0;
        int sentNow;
        do {
            sentNow = jdbi.inTransaction(handle -> {
                OutboxDao outbox = handle.attach(OutboxDao.class);
                List<Message> due = outbox.lockDue(BATCH);
                int ok = 0;
                for (Message message : due) {
                    try {
                        delivery.send(from, message.recipient(), message.subject(), message.textBody(),
                                message.htmlBody());
                        outbox.sent(message.id());
                        sent.mark();
                        ok++;
                    } catch (Exception e) {
                        retry(outbox, message, e);
                    }
                }
                return due.size() == BATCH ? ok + 1 : ok;
            });
            total += sentNow;
        } while (sentNow > 0 && running);
        refreshDepth();
        return total;
    }

    private void retry(OutboxDao outbox, Message message, Exception error) {
        int attempts = message.attempts() + 1;
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (attempts >= maxAttempts) {
            outbox.giveUp(message.id(), attempts, reason);
            failed.mark();
            LOGGER.error("Gave up on mail {} to {} after {} attempts: {}", message.id(), message.recipient(),
                    attempts, reason);
            return;
        }
        long waitSeconds = Duration.ofMinutes(1).multipliedBy(1L << Math.min(attempts - 1, 10)).toSeconds();
        outbox.retryLater(message.id(), attempts, reason, waitSeconds);
        retried.mark();
        LOGGER.warn("Mail {} to {} not sent ({}); trying again in {} s", message.id(), message.recipient(), reason,
                waitSeconds);
    }

    private void refreshDepth() {
        depth.set(jdbi.withExtension(OutboxDao.class, OutboxDao::waiting));
    }

    private void loop() {
        while (running) {
            try {
                sendDue();
                outboxReads.succeeded();
            } catch (RuntimeException e) {
                outboxReads.failed(e.getMessage());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Unhealthy when a message has waited more than half an hour or one has failed in the last day. */
    HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return jdbi.withExtension(OutboxDao.class, outbox -> {
                    long stuck = outbox.stuck();
                    long failedRecently = outbox.failedRecently();
                    if (stuck > 0 || failedRecently > 0) {
                        return Result.unhealthy(stuck + " message(s) waiting over 30 minutes, " + failedRecently
                                + " given up in the last day (" + delivery.describe() + ")");
                    }
                    return Result.healthy("mail flows through " + delivery.describe());
                });
            }
        };
    }
}
