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
            assertThat(afterFirst).extracting(row -> row.get("version"))
                    .containsExactlyElementsOf(shippedMigrationVersions());
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

    /** The versions of the migrations this release ships, in order (other issues add their own). */
    private static List<Object> shippedMigrationVersions() throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                java.nio.file.Path.of("src/main/resources/db/migration"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                    .map(version -> (Object) version)
                    .toList();
        }
    }
}
