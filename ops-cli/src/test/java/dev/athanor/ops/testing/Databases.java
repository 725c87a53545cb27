package dev.athanor.ops.testing;

import dev.athanor.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What backup tests do to real databases: fill them, load them, and compare them table by table. */
public final class Databases {

    private Databases() {
    }

    public static void execute(TestDatabase database, String... statements) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    public static long queryLong(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The database as a libpq URL with its password, for {@code --to}. */
    public static String url(TestDatabase database) {
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        return "postgresql://" + database.user() + ":" + database.password() + "@" + uri.getHost() + ":"
                + uri.getPort() + uri.getPath();
    }

    /** A checksum of every table's rows (order-independent), every sequence's state and every large object. */
    public static Map<String, String> checksums(TestDatabase database) throws SQLException {
        Map<String, String> checksums = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables
                    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1""")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg("
                        + "md5(t::text), '' ORDER BY md5(t::text))), '') FROM " + table + " t")) {
                    rows.next();
                    checksums.put(table, rows.getString(1));
                }
            }
            List<String> sequences = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences
                    ORDER BY 1""")) {
                while (rows.next()) {
                    sequences.add(rows.getString(1));
                }
            }
            for (String sequence : sequences) {
                try (ResultSet rows = statement.executeQuery("SELECT last_value || '/' || is_called FROM "
                        + sequence)) {
                    rows.next();
                    checksums.put("sequence " + sequence, rows.getString(1));
                }
            }
            try (ResultSet rows = statement.executeQuery("""
                    SELECT count(*) || ':' || coalesce(md5(string_agg(md5(lo_get(oid)), '' ORDER BY
                    md5(lo_get(oid)))), '') FROM pg_largeobject_metadata""")) {
                rows.next();
                checksums.put("large objects", rows.getString(1));
            }
        }
        return checksums;
    }

    /** The schema as pg_dump writes it (owners, privileges and comments left out). */
    public static String schema(TestDatabase database) throws IOException, InterruptedException {
        Process dump = postgresProgram(database, "pg_dump", "--schema-only", "--no-owner", "--no-privileges",
                "--dbname=" + libpq(database)).start();
        String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!dump.waitFor(60, TimeUnit.SECONDS) || dump.exitValue() != 0) {
            throw new IllegalStateException("pg_dump --schema-only failed: "
                    + new String(dump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return output.lines().filter(line -> !line.startsWith("--") && !line.startsWith("\\restrict")
                && !line.startsWith("\\unrestrict")).reduce("", (a, b) -> a + b + "\n");
    }

    /** A PostgreSQL client program (pg_dump, pgbench) aimed at {@code database}. */
    public static ProcessBuilder postgresProgram(TestDatabase database, String program, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(clientBin().resolve(program).toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PGPASSWORD", database.password());
        return builder;
    }

    public static String libpq(TestDatabase database) {
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        return "postgresql://" + database.user() + "@" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
    }

    /** The machine's PostgreSQL client programs, newest version first ({@code /usr/lib/postgresql/N/bin}). */
    public static Path clientBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Optional<Path> newest = versions.filter(path -> path.getFileName().toString().matches("\\d+"))
                    .max((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
                            Integer.parseInt(b.getFileName().toString())))
                    .map(path -> path.resolve("bin"));
            return newest.orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL client under /usr/lib/postgresql", e);
        }
    }

    /** Fills {@code database} with several schemas' worth of data: tables, indexes, a view, sequences, bytea, LOs. */
    public static void fillWithContent(TestDatabase database) throws SQLException {
        execute(database,
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.customers (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL,"
                        + " created timestamptz NOT NULL DEFAULT '2024-01-01')",
                "CREATE TABLE shop.orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES shop.customers,"
                        + " total numeric(10,2), note text)",
                "CREATE INDEX orders_customer ON shop.orders (customer_id)",
                "CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE total > 100",
                "CREATE SEQUENCE shop.invoice_numbers START 1000",
                "SELECT nextval('shop.invoice_numbers') FROM generate_series(1, 42)",
                "INSERT INTO shop.customers (email) SELECT 'c' || i || '@example.com' FROM generate_series(1, 5000) i",
                "INSERT INTO shop.orders (customer_id, total, note) SELECT 1 + i % 5000, i * 1.5, repeat('x', i % 50)"
                        + " FROM generate_series(1, 20000) i",
                "CREATE SCHEMA media",
                "CREATE TABLE media.files (id serial PRIMARY KEY, content bytea NOT NULL, document oid)",
                "INSERT INTO media.files (content, document) SELECT decode(repeat(md5(i::text), 100), 'hex'),"
                        + " lo_from_bytea(0, convert_to(repeat('lesson ' || i || ' ', 1000), 'UTF8'))"
                        + " FROM generate_series(1, 20) i",
                "CREATE FUNCTION shop.order_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM shop.orders'");
    }
}
