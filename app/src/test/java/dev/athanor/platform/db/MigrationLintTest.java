package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.platform.db.MigrationLint.Finding;
import dev.athanor.platform.db.MigrationLint.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The lint on each kind of breaking statement, on what only looks like one (comments, strings, additive statements),
 * on statements spread over lines and hidden in dollar-quoted bodies, and over the migrations this release ships.
 */
class MigrationLintTest {

    private static final String FILE = "V27__contract.sql";

    @Test
    void flagsEachKindWithWhatItDoes() {
        assertThat(whats("DROP TABLE legacy_sessions;")).containsExactly("drops table legacy_sessions");
        assertThat(whats("drop table if exists a, public.b cascade;")).containsExactly("drops table a",
                "drops table public.b");
        assertThat(whats("DROP VIEW IF EXISTS course_stats;")).containsExactly("drops view course_stats");
        assertThat(whats("DROP MATERIALIZED VIEW popular;")).containsExactly("drops view popular");
        assertThat(whats("ALTER TABLE users DROP COLUMN nickname;")).containsExactly("drops column users.nickname");
        assertThat(whats("ALTER TABLE IF EXISTS ONLY users DROP IF EXISTS nickname;"))
                .containsExactly("drops column users.nickname");
        assertThat(whats("ALTER TABLE users RENAME TO learners;")).containsExactly("renames table users to learners");
        assertThat(whats("ALTER TABLE users RENAME COLUMN nickname TO handle;"))
                .containsExactly("renames column users.nickname to handle");
        assertThat(whats("ALTER TABLE users RENAME nickname TO handle;"))
                .containsExactly("renames column users.nickname to handle");
        assertThat(whats("ALTER TABLE users RENAME CONSTRAINT users_pkey TO learners_pkey;"))
                .containsExactly("renames constraint users_pkey of users to learners_pkey");
        assertThat(whats("ALTER VIEW course_stats RENAME TO stats;"))
                .containsExactly("renames view course_stats to stats");
        assertThat(whats("ALTER TABLE users SET SCHEMA archive;")).containsExactly("moves table users to schema archive");
        assertThat(whats("ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';")).containsExactly("renames type mood");
        assertThat(whats("ALTER TABLE users ALTER COLUMN email SET NOT NULL;")).containsExactly("makes users.email NOT NULL");
        assertThat(whats("ALTER TABLE users ADD COLUMN plan text NOT NULL;"))
                .containsExactly("adds column users.plan NOT NULL without a default");
        assertThat(whats("ALTER TABLE users ADD id2 bigint PRIMARY KEY;"))
                .containsExactly("adds column users.id2 NOT NULL without a default");
        assertThat(whats("ALTER TABLE users ALTER COLUMN age TYPE bigint;"))
                .containsExactly("changes the type of users.age to bigint");
        assertThat(whats("ALTER TABLE users ALTER age SET DATA TYPE numeric(10, 2) USING age::numeric;"))
                .containsExactly("changes the type of users.age to numeric(10, 2)");
    }

    @Test
    void eachFindingCarriesItsFileLineKindAndStatement() {
        List<Finding> findings = MigrationLint.check(FILE, """
                -- contract: nothing reads these since V25
                ALTER TABLE users
                    DROP COLUMN nickname,
                    ALTER COLUMN email SET NOT NULL;

                DROP TABLE
                  legacy;
                """);

        assertThat(findings).extracting(Finding::kind).containsExactly(Kind.DROP_COLUMN, Kind.SET_NOT_NULL,
                Kind.DROP_TABLE);
        assertThat(findings).extracting(Finding::line).containsExactly(2, 2, 6);
        assertThat(findings.get(0).statement())
                .isEqualTo("ALTER TABLE users DROP COLUMN nickname, ALTER COLUMN email SET NOT NULL");
        assertThat(findings.get(2).statement()).isEqualTo("DROP TABLE legacy");
        assertThat(findings.get(0).describe()).isEqualTo("V27__contract.sql:2: drops column users.nickname");
        assertThat(findings).allSatisfy(finding -> assertThat(finding.file()).isEqualTo(FILE));
    }

    @Test
    void letsAdditiveStatementsThrough() {
        assertThat(MigrationLint.check(FILE, """
                CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);
                CREATE INDEX CONCURRENTLY notes_body ON notes (body);
                CREATE UNIQUE INDEX IF NOT EXISTS notes_unique ON notes (lower(body));
                ALTER TABLE users ADD COLUMN nickname text;
                ALTER TABLE users ADD COLUMN IF NOT EXISTS plan text NOT NULL DEFAULT 'free';
                ALTER TABLE users ADD COLUMN score integer DEFAULT 0 NOT NULL;
                ALTER TABLE users ADD COLUMN seq bigserial NOT NULL;
                ALTER TABLE users ADD COLUMN total integer NOT NULL GENERATED ALWAYS AS (a + b) STORED;
                ALTER TABLE users ADD COLUMN checked text CHECK (checked IS NOT NULL OR true);
                ALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE (email);
                ALTER TABLE users ADD PRIMARY KEY (id), ADD CHECK (score IS NOT NULL) NOT VALID;
                ALTER TABLE users DROP CONSTRAINT IF EXISTS users_outcome_check;
                ALTER TABLE users ALTER COLUMN plan DROP DEFAULT, ALTER COLUMN plan DROP NOT NULL;
                ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free';
                ALTER INDEX notes_body RENAME TO notes_body_idx;
                DROP INDEX CONCURRENTLY IF EXISTS notes_body_idx;
                DROP FUNCTION IF EXISTS touch();
                CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$
                BEGIN
                    NEW.updated_at = now();
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql;
                INSERT INTO plans (name) VALUES ('drop table plans');
                UPDATE users SET plan = 'free' WHERE plan IS NULL;
                """)).isEmpty();
    }

    @Test
    void ignoresTheWordsInCommentsAndStrings() {
        assertThat(MigrationLint.check(FILE, """
                -- DROP TABLE users;
                /* ALTER TABLE users DROP COLUMN email;
                   /* nested: ALTER TABLE users RENAME TO x; */ still a comment: DROP VIEW v; */
                COMMENT ON COLUMN users.email IS 'we will DROP COLUMN email; later';
                COMMENT ON TABLE users IS 'it''s ALTER TABLE users RENAME TO people; not';
                COMMENT ON TABLE notes IS E'escaped \\' ALTER TABLE notes DROP COLUMN body; still the string';
                SELECT 'drop table users'; -- and DROP VIEW v after code
                """)).isEmpty();
    }

    @Test
    void readsDollarQuotedBodiesIncludingTheirStrings() {
        List<Finding> findings = MigrationLint.check(FILE, """
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE column_name = 'nickname') THEN
                        ALTER TABLE users DROP COLUMN nickname;
                    END IF;
                END
                $$;
                DO $body$
                BEGIN
                    -- DROP TABLE in a comment is still nothing
                    EXECUTE format('ALTER TABLE %I RENAME TO %I', 'users', 'people');
                END $body$;
                """);

        assertThat(findings).extracting(Finding::describe).containsExactly(
                "V27__contract.sql:4: drops column users.nickname",
                "V27__contract.sql:11: renames table %I to %I");
    }

    @Test
    void aQuotedNameKeepsItsCaseAndAnUnquotedOneIsFolded() {
        assertThat(whats("ALTER TABLE Public.\"Users\" DROP COLUMN \"Nick\"\"name\";"))
                .containsExactly("drops column public.Users.Nick\"name");
    }

    @Test
    void shortensALongStatementToOneLine() {
        String columns = String.join(",\n", java.util.Collections.nCopies(40, "  DROP COLUMN c"));
        Finding finding = MigrationLint.check(FILE, "ALTER TABLE t\n" + columns + ";").get(0);

        assertThat(finding.statement()).hasSize(120).endsWith("...").doesNotContain("\n");
    }

    @Test
    void theShippedMigrationsAreAllAdditive() throws IOException {
        Map<String, List<String>> flagged = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".sql")).toList()) {
                List<Finding> findings = MigrationLint.check(file.getFileName().toString(), Files.readString(file));
                if (!findings.isEmpty()) {
                    flagged.put(file.getFileName().toString(), findings.stream().map(Finding::describe).toList());
                }
            }
        }

        assertThat(flagged).isEmpty();
    }

    private static List<String> whats(String sql) {
        return MigrationLint.check(FILE, sql).stream().map(Finding::what).toList();
    }
}
