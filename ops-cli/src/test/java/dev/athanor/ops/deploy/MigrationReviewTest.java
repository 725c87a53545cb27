package dev.athanor.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ops.deploy.MigrationReview.MigrationFile;
import dev.athanor.ops.deploy.MigrationReview.Reviewed;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review on real databases whose history Flyway wrote, with release jars built here: what a deploy would apply and
 * whether it breaks the running release, and what a rollback would run on and whether the older release can.
 */
class MigrationReviewTest {

    private static final String V1 = "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);";
    private static final String V2 = "CREATE TABLE notes (id bigint PRIMARY KEY, body text);";
    private static final String ADDITIVE = "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';";
    private static final String BREAKING = "-- contract: V3 stopped reading it\nALTER TABLE users\n  DROP COLUMN nickname;";

    @TempDir
    Path directory;

    @Test
    void readsTheVersionedMigrationsOfAJarInFlywaysOrder() throws Exception {
        Path jar = jar("release.jar", Map.of(
                "db/migration/V10__ten.sql", V2,
                "db/migration/V2_1__two_one.sql", V1,
                "db/migration/V2__two.sql", V1,
                "db/migration/R__repeatable.sql", "SELECT 1;",
                "db/migration/README.md", "not a migration",
                "other/V3__elsewhere.sql", V1,
                "dev/athanor/App.class", "not read"));

        List<MigrationFile> migrations = MigrationReview.inJar(jar);

        assertThat(migrations).extracting(MigrationFile::version).containsExactly("2", "2.1", "10");
        assertThat(migrations).extracting(MigrationFile::file).containsExactly("V2__two.sql", "V2_1__two_one.sql",
                "V10__ten.sql");
        assertThat(migrations.get(2).sql()).isEqualTo(V2);
    }

    @Test
    void aJarThatCannotBeReadIsNamed() throws IOException {
        Path broken = Files.writeString(directory.resolve("broken.jar"), "not a zip");

        assertThatThrownBy(() -> MigrationReview.inJar(broken)).isInstanceOf(DeployException.class)
                .hasMessageContaining("Cannot read the migrations in " + broken)
                .satisfies(e -> assertThat(((DeployException) e).exitCode()).isEqualTo(65));
    }

    @Test
    void aNewDatabaseHasNoHistoryAndEverythingIsPending() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();

        SchemaHistory history = MigrationReview.applied(database.dataSource());
        List<Reviewed> pending = MigrationReview.pending(MigrationReview.inJar(release("V1", V1, "V2", V2)), history);

        assertThat(history.entries()).isEmpty();
        assertThat(history.newest()).isEmpty();
        assertThat(pending).extracting(Reviewed::file).containsExactly("V1__v1.sql", "V2__v2.sql");
        assertThat(MigrationReview.breaking(pending)).isFalse();
    }

    @Test
    void deployReviewsWhatIsPending() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        migrate(database, release("V1", V1, "V2", V2));
        SchemaHistory history = MigrationReview.applied(database.dataSource());

        List<Reviewed> nothing = MigrationReview.pending(MigrationReview.inJar(release("V1", V1, "V2", V2)), history);
        List<Reviewed> additive = MigrationReview.pending(
                MigrationReview.inJar(release("V1", V1, "V2", V2, "V3", ADDITIVE)), history);
        List<Reviewed> breaking = MigrationReview.pending(
                MigrationReview.inJar(release("V1", V1, "V2", V2, "V3", ADDITIVE, "V4", BREAKING)), history);

        assertThat(history.newest()).contains("2");
        assertThat(nothing).isEmpty();
        assertThat(additive).extracting(Reviewed::file).containsExactly("V3__v3.sql");
        assertThat(MigrationReview.breaking(additive)).isFalse();
        assertThat(MigrationReview.describe(additive)).isEmpty();
        assertThat(breaking).extracting(Reviewed::file).containsExactly("V3__v3.sql", "V4__v4.sql");
        assertThat(MigrationReview.breaking(breaking)).isTrue();
        assertThat(MigrationReview.describe(breaking)).containsExactly("V4__v4.sql:2: drops column users.nickname");
    }

    @Test
    void rollbackReviewsWhatTheSchemaHasThatTheOlderReleaseDoesNot() throws Exception {
        Path old = release("V1", V1, "V2", V2);
        Path compatible = release("V1", V1, "V2", V2, "V3", ADDITIVE);
        Path contracting = release("V1", V1, "V2", V2, "V3", ADDITIVE, "V4", BREAKING);
        TestDatabase database = TestPostgres.shared().createDatabase();
        migrate(database, contracting);
        SchemaHistory history = MigrationReview.applied(database.dataSource());

        List<Reviewed> newestUnknown = MigrationReview.future(MigrationReview.inJar(compatible), history,
                MigrationReview.inJar(compatible));
        List<Reviewed> overBreaking = MigrationReview.future(MigrationReview.inJar(old), history,
                MigrationReview.inJar(contracting));
        List<Reviewed> overUnknown = MigrationReview.future(MigrationReview.inJar(old), history,
                MigrationReview.inJar(compatible));
        List<Reviewed> nothing = MigrationReview.future(MigrationReview.inJar(contracting), history,
                MigrationReview.inJar(contracting));

        assertThat(history.newest()).contains("4");
        assertThat(nothing).isEmpty();
        assertThat(newestUnknown).extracting(Reviewed::file).containsExactly("V4__v4.sql");
        assertThat(MigrationReview.describe(newestUnknown)).containsExactly(
                "V4__v4.sql: unknown: not in any kept release");
        assertThat(overBreaking).extracting(Reviewed::version).containsExactly("3", "4");
        assertThat(overBreaking.get(0).breaking()).isFalse();
        assertThat(MigrationReview.describe(overBreaking)).containsExactly("V4__v4.sql:2: drops column users.nickname");
        assertThat(overUnknown).extracting(Reviewed::unknown).containsExactly(false, true);
        assertThat(MigrationReview.breaking(overUnknown)).isTrue();

        TestDatabase additiveOnly = TestPostgres.shared().createDatabase();
        migrate(additiveOnly, compatible);
        List<Reviewed> rollbackOverAdditive = MigrationReview.future(MigrationReview.inJar(old),
                MigrationReview.applied(additiveOnly.dataSource()), MigrationReview.inJar(compatible));
        assertThat(rollbackOverAdditive).extracting(Reviewed::file).containsExactly("V3__v3.sql");
        assertThat(MigrationReview.breaking(rollbackOverAdditive)).isFalse();
        migrate(additiveOnly, old); // as the older site does at start: Flyway lets it run on the newer schema
        assertThat(MigrationReview.applied(additiveOnly.dataSource()).newest()).contains("3");
    }

    @Test
    void aBaselineCountsForTheVersionsBelowIt() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        database.execute(V1);
        database.execute(V2);
        Flyway.configure().dataSource(database.dataSource()).baselineVersion("2").load().baseline();
        migrate(database, release("V1", V1, "V2", V2, "V3", ADDITIVE));

        List<Reviewed> pending = MigrationReview.pending(
                MigrationReview.inJar(release("V1", V1, "V2", V2, "V3", ADDITIVE, "V4", BREAKING)),
                MigrationReview.applied(database.dataSource()));

        assertThat(pending).extracting(Reviewed::file).containsExactly("V4__v4.sql");
    }

    /** A release jar whose migrations are the given (version, SQL) pairs, named {@code V<n>__v<n>.sql}. */
    private Path release(String... versionsAndSql) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int index = 0; index < versionsAndSql.length; index += 2) {
            String version = versionsAndSql[index];
            entries.put("db/migration/" + version + "__" + version.toLowerCase() + ".sql", versionsAndSql[index + 1]);
        }
        return jar("release-" + String.join("-", entries.keySet()).hashCode() + ".jar", entries);
    }

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path jar = directory.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    /** Applies a jar's migrations as the site would, from their files. */
    private void migrate(TestDatabase database, Path jar) throws Exception {
        Path files = Files.createTempDirectory(directory, "migrations");
        for (MigrationFile migration : MigrationReview.inJar(jar)) {
            Files.writeString(files.resolve(migration.file()), migration.sql());
        }
        Flyway.configure().dataSource(database.dataSource()).locations("filesystem:" + files).load().migrate();
    }
}
