package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.AthanorConfiguration;
import dev.athanor.SiteContexts;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Housekeeping deletes what has expired and nothing that is still alive, each context's rows through its own facade
 * (accounts, mail, billing), as the site wires it.
 */
class HousekeepingTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @Test
    void expiredRowsGoAndLiveOnesStay() {
        new Migrations(DATABASE.dataSource()).migrate();
        long learner = Learners.create(DATABASE, "tidy@example.com");
        DATABASE.execute("""
                INSERT INTO session (id_hash, learner_id, last_seen_at, expires_at) VALUES
                    ('\\x01', ?, now(), now() + interval '1 day'),
                    ('\\x02', ?, now(), now() - interval '1 second'),
                    ('\\x03', ?, now() - interval '31 days', now() + interval '1 day')""", learner, learner, learner);
        DATABASE.execute("""
                INSERT INTO one_time_token (token_hash, learner_id, purpose, expires_at) VALUES
                    ('\\x01', ?, 'reset', now() + interval '1 hour'),
                    ('\\x02', ?, 'reset', now() - interval '8 days')""", learner, learner);
        DATABASE.execute("""
                INSERT INTO device (token_hash, learner_id, expires_at) VALUES
                    ('\\x01', ?, now() + interval '1 day'),
                    ('\\x02', ?, now() - interval '1 second')""", learner, learner);
        DATABASE.execute("""
                INSERT INTO pending_sign_in (token_hash, learner_id, expires_at) VALUES
                    ('\\x01', ?, now() + interval '1 minute'),
                    ('\\x02', ?, now() - interval '1 second')""", learner, learner);
        long other = Learners.create(DATABASE, "enrolled@example.com");
        DATABASE.execute("""
                INSERT INTO second_factor (learner_id, kind, totp_secret, created_at, confirmed_at) VALUES
                    (?, 'totp', '\\x01', now() - interval '2 days', NULL),
                    (?, 'totp', '\\x02', now() - interval '2 days', now() - interval '2 days')""", learner, other);
        DATABASE.execute("""
                INSERT INTO outbox (recipient, template, subject, text_body, html_body, sent_at) VALUES
                    ('a@example.com', 'welcome', 's', 't', 'h', now() - interval '31 days'),
                    ('a@example.com', 'welcome', 's', 't', 'h', NULL)""");
        DATABASE.execute("""
                INSERT INTO stripe_request (idempotency_key, purpose, learner_id, fingerprint, created_at) VALUES
                    ('old', 'checkout', ?, 'f', now() - interval '3 days'),
                    ('new', 'checkout', ?, 'f', now() - interval '1 hour')""", learner, learner);
        DATABASE.execute("""
                INSERT INTO page_changes (keys, changed_at) VALUES
                    ('article:old', now() - interval '25 hours'),
                    ('article:new', now() - interval '1 hour')""");

        DATABASE.execute("""
                INSERT INTO throttle (key, attempts) VALUES
                    ('sign-in:client:old', ARRAY[now() - interval '3 hours', now() - interval '2 hours 1 minute']),
                    ('sign-in:client:new', ARRAY[now() - interval '3 hours', now() - interval '1 hour'])""");

        int gone = housekeeping().run();

        assertThat(gone).isEqualTo(10);
        assertThat(DATABASE.<String>value("SELECT string_agg(key, ',') FROM throttle"))
                .as("attempts are kept longer than any limit counts them").isEqualTo("sign-in:client:new");
        assertThat(DATABASE.<String>value("SELECT string_agg(encode(id_hash, 'hex'), ',') FROM session"))
                .isEqualTo("01");
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM one_time_token")).isEqualTo(1);
        assertThat(DATABASE.<String>value("SELECT string_agg(encode(token_hash, 'hex'), ',') FROM device"))
                .isEqualTo("01");
        assertThat(DATABASE.<String>value("SELECT string_agg(encode(token_hash, 'hex'), ',') FROM pending_sign_in"))
                .isEqualTo("01");
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM second_factor WHERE learner_id = ?", other))
                .as("a confirmed authenticator stays however old").isEqualTo(1);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM second_factor")).isEqualTo(1);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM outbox WHERE sent_at IS NULL")).isEqualTo(1);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM outbox")).isEqualTo(1);
        assertThat(DATABASE.<String>value("SELECT string_agg(idempotency_key, ',') FROM stripe_request"))
                .isEqualTo("new");
        assertThat(DATABASE.<String>value("SELECT string_agg(keys, ',') FROM page_changes"))
                .as("page changes are kept a day, for page caches that catch up").isEqualTo("article:new");
    }

    /** The clean-ups as the running site has them, from {@link SiteContexts}. */
    private static Housekeeping housekeeping() {
        Path data = TestPostgres.newDirectory("housekeeping");
        AthanorConfiguration configuration = Jackson.newObjectMapper().convertValue(Map.of(
                "site", Map.of("baseUrl", "http://localhost"),
                "storage", Map.of("dataDirectory", data.toString()),
                "media", Map.of("directory", data.resolve("media").toString())), AthanorConfiguration.class);
        return new SiteContexts(configuration, Database.jdbi(DATABASE.dataSource()), Clock.systemUTC(),
                new MetricRegistry()).housekeeping();
    }
}
