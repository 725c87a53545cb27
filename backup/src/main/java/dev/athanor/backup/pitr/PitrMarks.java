package dev.athanor.backup.pitr;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The row-count marks the restore drill compares with ({@code pitr_marks}). A mark is exact at its moment: in one
 * transaction the counted tables are locked in SHARE mode (writers wait; readers do not), counted, and the mark is
 * inserted with {@code clock_timestamp()} read after the counts. Every commit that changed a counted table either
 * came before the locks (so before the moment, and counted) or waits for this transaction's end (so after the moment),
 * and a restore to the moment ({@code recovery_target_time}, inclusive) holds exactly the counts.
 *
 * <p>Counted: every base table of the connection's schema but {@code pitr_marks} itself and Quartz's {@code qrtz_*}
 * tables, which the running scheduler writes (locking them from inside a scheduled job would deadlock with it), and
 * unlogged tables (the shared limits), which any restored copy starts empty.
 */
public final class PitrMarks {

    /**
     * How long a mark waits for a table's lock before trying again. Short: the site's writers queue behind a waiting
     * lock request, so this is the longest a writer that holds its transaction open can make the site wait.
     */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
    /** Tries of a mark whose locks timed out or deadlocked, a pause apart. */
    static final int ATTEMPTS = 3;
    static final Duration PAUSE = Duration.ofMillis(500);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, Long>> COUNTS = new TypeReference<>() {
    };
    private static final String TABLES = """
            SELECT quote_ident(table_schema), quote_ident(table_name), table_schema || '.' || table_name
            FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
              AND table_name <> 'pitr_marks' AND table_name NOT LIKE 'qrtz\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relpersistence = 'u'
                              AND c.oid = format('%I.%I', table_schema, table_name)::regclass)
            ORDER BY table_name
            """;

    private PitrMarks() {
    }

    /**
     * Counts the tables and records the mark, retrying when a lock is not granted in time or the transaction
     * deadlocks with a writer. Leaves the connection's auto-commit as it found it.
     *
     * @throws SQLException when the last try failed too, or for any other database error
     */
    public static PitrMark mark(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    PitrMark mark = markOnce(connection);
                    connection.commit();
                    return mark;
                } catch (SQLException e) {
                    connection.rollback();
                    if (attempt >= ATTEMPTS || !contended(e)) {
                        throw e;
                    }
                    pause();
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static PitrMark markOnce(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(TABLES)) {
                while (rows.next()) {
                    tables.add(new String[] {rows.getString(1) + "." + rows.getString(2), rows.getString(3)});
                }
            }
            if (!tables.isEmpty()) {
                statement.execute("LOCK TABLE " + String.join(", ", tables.stream().map(table -> table[0])
                        .toList()) + " IN SHARE MODE");
            }
            Map<String, Long> counts = new TreeMap<>();
            for (String[] table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM ONLY " + table[0])) {
                    rows.next();
                    counts.put(table[1], rows.getLong(1));
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pitr_marks (marked_at, counts)"
                    + " VALUES (clock_timestamp(), ?::jsonb) RETURNING id, marked_at")) {
                insert.setString(1, JSON.writeValueAsString(counts));
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    return new PitrMark(rows.getLong(1), rows.getTimestamp(2).toInstant(), counts);
                }
            }
        } catch (IOException e) {
            throw new SQLException("the counts could not be written as JSON: " + e.getMessage(), e);
        }
    }

    private static void pause() throws SQLException {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to try the mark again", e);
        }
    }

    /** A lock not granted within the lock timeout (55P03) or a deadlock (40P01): worth another try. */
    static boolean contended(SQLException e) {
        return "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** The newest mark taken more than {@code age} before the database's clock says now. */
    public static Optional<PitrMark> newestOlderThan(Connection connection, Duration age) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id, marked_at, counts::text"
                + " FROM pitr_marks WHERE marked_at < now() - make_interval(secs => ?)"
                + " ORDER BY marked_at DESC LIMIT 1")) {
            query.setDouble(1, age.toMillis() / 1000.0);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PitrMark(rows.getLong(1), rows.getTimestamp(2).toInstant(),
                        JSON.readValue(rows.getString(3), COUNTS)));
            } catch (IOException e) {
                throw new SQLException("pitr_marks holds counts that are not valid JSON: " + e.getMessage(), e);
            }
        }
    }

    /** Deletes the marks taken before {@code before}; returns how many. */
    public static int deleteOlderThan(Connection connection, Instant before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM pitr_marks WHERE marked_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(before));
            return delete.executeUpdate();
        }
    }

    /**
     * Counts the tables a mark counted ({@code schema.table} keys), as {@code connection}'s database holds them now:
     * on a restored cluster, to compare with the mark. A table that is not there is left out (and so differs).
     */
    public static Map<String, Long> count(Connection connection, Collection<String> tables) throws SQLException {
        StringBuilder lines = new StringBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(countQuery(tables))) {
            while (rows.next()) {
                lines.append(rows.getString(1)).append('|').append(rows.getLong(2)).append('\n');
            }
        }
        return parseCounts(lines.toString());
    }

    /**
     * One query that counts {@code tables} ({@code schema.table}) where they exist, a row each: the table and its
     * rows. For a restored cluster reached only through psql ({@code psql -A -t}: {@code table|rows} lines, read
     * by {@link #parseCounts}).
     */
    public static String countQuery(Collection<String> tables) {
        String names = tables.stream().map(table -> "'" + table.replace("'", "''") + "'")
                .collect(Collectors.joining(", "));
        return "SELECT table_schema || '.' || table_name, (xpath('/row/n/text()', query_to_xml(format("
                + "'SELECT count(*) AS n FROM ONLY %I.%I', table_schema, table_name), false, true, '')))[1]::text"
                + "::bigint FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                + " AND table_schema || '.' || table_name = ANY (ARRAY[" + (names.isEmpty() ? "NULL" : names)
                + "]::text[]) ORDER BY 1";
    }

    /** The counts in {@link #countQuery}'s rows as psql prints them unaligned ({@code table|rows} lines). */
    public static Map<String, Long> parseCounts(String output) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : output.lines().filter(line -> !line.isBlank()).toList()) {
            int bar = line.lastIndexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("not a table|rows line: " + line);
            }
            counts.put(line.substring(0, bar), Long.parseLong(line.substring(bar + 1).strip()));
        }
        return counts;
    }

    /**
     * The tables whose counts differ, one phrase each ({@code public.learners: 12 at the mark, 11 restored}), in
     * table order; empty when they all match.
     */
    public static List<String> compare(Map<String, Long> marked, Map<String, Long> restored) {
        List<String> differences = new ArrayList<>();
        for (String table : new TreeSet<>(marked.keySet())) {
            Long expected = marked.get(table);
            Long actual = restored.get(table);
            if (!expected.equals(actual)) {
                differences.add(table + ": " + expected + " at the mark, " + (actual == null ? "missing"
                        : actual + " restored"));
            }
        }
        return differences;
    }
}
