package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The site starts on an empty database, migrates it, serves its front page, and a restart changes nothing. */
class AppStartTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @Test
    void startsOnAFreshDatabaseAndASecondStartChangesNothing() throws Exception {
        DropwizardTestSupport<AthanorConfiguration> site = TestApp.support(AthanorApplication.class, () -> DATABASE);

        site.before();
        List<Map<String, Object>> afterFirst;
        try {
            afterFirst = history();
            assertThat(afterFirst).extracting(row -> row.get("version")).containsExactlyElementsOf(
                    dev.athanor.testing.ShippedMigrations.versions());
            assertThat(afterFirst).allSatisfy(row -> assertThat(row.get("success")).isEqualTo(true));
            assertFrontPage(site.getLocalPort());
        } finally {
            site.after();
        }

        site.before();
        try {
            assertThat(history()).isEqualTo(afterFirst);
            assertFrontPage(site.getLocalPort());
        } finally {
            site.after();
        }
    }

    private static void assertFrontPage(int port) {
        HttpResponse<String> page = Http.get("http://127.0.0.1:" + port + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html").containsIgnoringCase("charset=utf-8"));
        assertThat(page.body())
                .contains("<title>Test Academy · Learning by testing</title>")
                .contains("<a class=\"brand\" href=\"/\">Test Academy</a>")
                .containsPattern("<link rel=\"stylesheet\" href=\"/assets/site\\.[0-9a-f]{10}\\.css\">");
    }

    private static List<Map<String, Object>> history() {
        return DATABASE.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT version, description, checksum, installed_on, success FROM flyway_schema_history"
                        + " ORDER BY installed_rank").mapToMap().list());
    }
}
