package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.codec.binary.Base32;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A learner's authenticator and recovery codes on the real database: confirmed by its first code, each code accepted
 * once (not again in its window, nor an earlier one), the secret sealed at rest, recovery codes hashed and single-use.
 */
class SecondFactorsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final byte[] KEY = "the accounts secret for these tests, long".getBytes(StandardCharsets.UTF_8);
    private static Jdbi jdbi;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T12:00:10Z"));
    private final SecondFactors factors = new SecondFactors(KEY, clock);
    private final Totp totp = new Totp();

    @BeforeAll
    static void migrate() {
        new Migrations(DATABASE.dataSource()).migrate();
        jdbi = Database.jdbi(DATABASE.dataSource());
    }

    @Test
    void enrolmentsStartedAtOnceLeaveOneAuthenticator() throws Exception {
        long learner = Learners.create(DATABASE, "totp-at-once@example.com");
        java.util.concurrent.ExecutorService starts = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> started = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                started.add(starts.submit(() -> jdbi.inTransaction(handle -> factors.startEnrolment(handle, learner,
                        "totp-at-once@example.com", "Athanor Academy"))));
            }
            for (java.util.concurrent.Future<?> start : started) {
                start.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            starts.shutdownNow();
        }
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM second_factor WHERE learner_id = ?", learner))
                .isEqualTo(1L);
    }

    @Test
    void enrolmentIsConfirmedByItsFirstCodeAndEachCodeWorksOnce() {
        long learner = Learners.create(DATABASE, "totp-once@example.com");
        SecondFactors.Enrolment enrolment = jdbi.withHandle(handle -> factors.startEnrolment(handle, learner,
                "totp-once@example.com", "Athanor Academy")).orElseThrow();
        byte[] secret = new Base32().decode(enrolment.secret().replace(" ", ""));
        assertThat(secret).hasSize(20);
        assertThat(enrolment.uri()).startsWith("otpauth://totp/Athanor%20Academy:totp-once%40example.com?secret=")
                .contains("&issuer=Athanor%20Academy", "&digits=6", "&period=30");
        assertThat(DATABASE.<byte[]>value("SELECT totp_secret FROM second_factor WHERE learner_id = ?", learner))
                .as("sealed at rest").hasSize(12 + 20 + 16).isNotEqualTo(secret);
        assertThat(enabled(learner)).isFalse();
        assertThat(verify(learner, code(secret, 0)))
                .as("not before it is confirmed").isFalse();

        assertThat(confirm(learner, "000000")).isEmpty();
        List<String> recovery = jdbi.withHandle(handle -> factors.confirmEnrolment(handle, learner, code(secret, 0)))
                .orElseThrow();
        assertThat(recovery).hasSize(10).allMatch(code -> code.matches("([a-z2-7]{4}-){5}[a-z2-7]{4}"));
        assertThat(enabled(learner)).isTrue();
        assertThat(jdbi.<java.util.Optional<SecondFactors.Enrolment>, RuntimeException>withHandle(
                handle -> factors.startEnrolment(handle, learner, "x", "y")))
                .as("one authenticator at a time").isEmpty();

        assertThat(verify(learner, code(secret, 0))).as("the code that confirmed, again in its window").isFalse();
        clock.advanceSeconds(30);
        assertThat(verify(learner, code(secret, -1))).as("an earlier step's code").isFalse();
        assertThat(verify(learner, code(secret, 0))).isTrue();
        assertThat(verify(learner, code(secret, 0))).as("reused in the same window").isFalse();
        assertThat(verify(learner, code(secret, 1))).as("the next step's, for a clock a little ahead").isTrue();
        clock.advanceSeconds(30);
        assertThat(verify(learner, code(secret, 0))).as("its step is used already").isFalse();
        clock.advanceSeconds(90);
        assertThat(verify(learner, code(secret, 0))).isTrue();
    }

    @Test
    void recoveryCodesAreHashedAndWorkOnceEach() {
        long learner = Learners.create(DATABASE, "recovery@example.com");
        byte[] secret = enrolled(learner);
        List<String> codes = jdbi.withHandle(handle -> factors.newRecoveryCodes(handle, learner));
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM recovery_code WHERE learner_id = ? AND code_hash = ?",
                learner, codes.get(0).getBytes(StandardCharsets.US_ASCII))).isZero();

        assertThat(verify(learner, codes.get(0).toUpperCase().replace("-", " "))).isTrue();
        assertThat(verify(learner, codes.get(0))).as("used up").isFalse();
        assertThat(jdbi.<Integer, RuntimeException>withHandle(handle -> factors.recoveryCodesLeft(handle, learner)))
                .isEqualTo(9);
        assertThat(jdbi.<Boolean, RuntimeException>withHandle(handle -> factors.verifyAuthenticator(handle, learner,
                codes.get(1))))
                .as("not where the authenticator itself is asked for").isFalse();

        List<String> fresh = jdbi.withHandle(handle -> factors.newRecoveryCodes(handle, learner));
        assertThat(verify(learner, codes.get(2))).as("replaced codes").isFalse();
        assertThat(verify(learner, fresh.get(2))).isTrue();
        assertThat(verify(learner, code(secret, 1))).isTrue();

        SecondFactors.Removed removed = jdbi.withHandle(handle -> factors.remove(handle, learner));
        assertThat(removed).isEqualTo(new SecondFactors.Removed(1, 10));
        assertThat(enabled(learner)).isFalse();
    }

    @Test
    void aSecretSealedUnderAnotherKeyAcceptsNothing() {
        long learner = Learners.create(DATABASE, "rekeyed@example.com");
        byte[] secret = enrolled(learner);
        SecondFactors rekeyed = new SecondFactors("a different accounts secret, after rotation".getBytes(
                StandardCharsets.UTF_8), clock);
        clock.advanceSeconds(60);
        assertThat(jdbi.<Boolean, RuntimeException>withHandle(handle -> rekeyed.verify(handle, learner, code(secret,
                0)))).isFalse();
    }

    private byte[] enrolled(long learner) {
        SecondFactors.Enrolment enrolment = jdbi.withHandle(handle -> factors.startEnrolment(handle, learner,
                "someone@example.com", "Athanor")).orElseThrow();
        byte[] secret = new Base32().decode(enrolment.secret().replace(" ", ""));
        assertThat(confirm(learner, code(secret, 0))).isPresent();
        return secret;
    }

    private java.util.Optional<List<String>> confirm(long learner, String code) {
        return jdbi.withHandle(handle -> factors.confirmEnrolment(handle, learner, code));
    }

    private boolean enabled(long learner) {
        return jdbi.withHandle(handle -> factors.enabled(handle, learner));
    }

    private boolean verify(long learner, String code) {
        return jdbi.withHandle(handle -> factors.verify(handle, learner, code));
    }

    /** The code for the step {@code offset} steps from the clock's. */
    private String code(byte[] secret, int offset) {
        return totp.code(secret, Totp.step(clock.instant()) + offset);
    }

    /** A clock the test moves on. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
