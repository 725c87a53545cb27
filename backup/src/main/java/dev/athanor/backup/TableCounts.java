package dev.athanor.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Exact row counts of a database's own tables ({@code schema.table}, extension tables and system schemas left out)
 * and its number of large objects (under {@code pg_largeobject}): what a manifest records and what a verification
 * compares after restoring.
 */
public final class TableCounts {

    /** The key under which the number of large objects is recorded. */
    public static final String LARGE_OBJECTS = "pg_largeobject";

    private static final String TABLES = """
            SELECT n.nspname, c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1, 2
            """;

    private TableCounts() {
    }

    /** Counts every table as {@code connection}'s transaction sees it. */
    public static Map<String, Long> count(Connection connection) throws SQLException {
        return count(connection, () -> false);
    }

    /** As {@link #count(Connection)}, giving up before the next table once {@code stopped} says so. */
    static Map<String, Long> count(Connection connection, BooleanSupplier stopped) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(TABLES)) {
            while (rows.next()) {
                tables.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        try (Statement statement = connection.createStatement()) {
            for (String[] table : tables) {
                if (stopped.getAsBoolean()) {
                    throw new SQLException("the counting was stopped");
                }
                String sql = "SELECT count(*) FROM ONLY " + quote(table[0]) + "." + quote(table[1]);
                try (ResultSet rows = statement.executeQuery(sql)) {
                    rows.next();
                    counts.put(table[0] + "." + table[1], rows.getLong(1));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_largeobject_metadata")) {
                rows.next();
                counts.put(LARGE_OBJECTS, rows.getLong(1));
            }
        }
        return counts;
    }

    /** What a database holds besides what every new database has: its own relations and large objects. */
    public static long userObjects(Connection connection) throws SQLException {
        String sql = """
                SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                          AND d.objid = c.oid AND d.deptype = 'e'))
                     + (SELECT count(*) FROM pg_largeobject_metadata)
                """;
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
