package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The site's contexts as the app and {@code ops} take them: each made once, and the accounts context (which reads
 * or makes the secret under the data directory) only when a learner must be found.
 */
class SiteContextsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @BeforeAll
    static void migrate() {
        new Migrations(DATABASE.dataSource()).migrate();
    }

    @Test
    void eachContextIsMadeOnceAndAccountsOnlyWhenALearnerMustBeFound() {
        Path data = TestPostgres.newDirectory("contexts");
        AthanorConfiguration configuration = Jackson.newObjectMapper().convertValue(Map.of(
                "site", Map.of("baseUrl", "https://learn.example.com"),
                "storage", Map.of("dataDirectory", data.toString()),
                "media", Map.of("directory", data.resolve("media").toString())), AthanorConfiguration.class);
        SiteContexts contexts = new SiteContexts(configuration, Database.jdbi(DATABASE.dataSource()),
                Clock.systemUTC(), new MetricRegistry());

        assertThat(contexts.content()).isSameAs(contexts.content());
        assertThat(contexts.billing()).isSameAs(contexts.billing());
        assertThat(contexts.billing().isEntitled(1)).isFalse();
        assertThat(contexts.content().courses()).isEmpty();
        assertThat(data.resolve("secret.key")).as("content and entitlements need no accounts").doesNotExist();

        assertThat(contexts.billing().members()).isEmpty();
        assertThat(data.resolve("secret.key")).as("the members list names learners through accounts").exists();
        assertThat(contexts.accounts()).isSameAs(contexts.accounts());
    }
}
