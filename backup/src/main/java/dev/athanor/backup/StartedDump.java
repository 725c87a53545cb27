package dev.athanor.backup;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;

/**
 * pg_dump running on a snapshot exported by a transaction of ours: the first half of a backup, which
 * {@link DumpWriter} takes over (and counts the tables in the same transaction meanwhile). Closing it stops pg_dump
 * and ends the transaction.
 */
final class StartedDump implements AutoCloseable {

    private final PostgresClient client;
    private final PostgresTarget source;
    private final Connection snapshot;
    private final String serverVersion;
    private final PostgresProgram pgDump;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final AtomicBoolean stopCounting = new AtomicBoolean();
    private volatile CompletableFuture<Map<String, Long>> counts;

    private StartedDump(PostgresClient client, PostgresTarget source, Connection snapshot, String serverVersion,
            PostgresProgram pgDump) {
        this.client = client;
        this.source = source;
        this.snapshot = snapshot;
        this.serverVersion = serverVersion;
        this.pgDump = pgDump;
    }

    /**
     * Opens a repeatable-read transaction on {@code source}, exports its snapshot and starts {@code client}'s pg_dump
     * on it. On failure nothing is left open or running.
     *
     * @throws BackupException when pg_dump is older than the server, or cannot be started
     * @throws SQLException when the database cannot be reached
     */
    static StartedDump start(PostgresClient client, PostgresTarget source) throws BackupException, SQLException {
        Connection snapshot = source.dataSource("athanor-backup").getConnection();
        PostgresProgram pgDump = null;
        try {
            snapshot.setAutoCommit(false);
            String serverVersion = beginSnapshot(snapshot, client);
            String snapshotName = exportSnapshot(snapshot);
            pgDump = PostgresProgram.start(List.of(client.pgDump().toString(), "--format=custom",
                    "--no-password", "--snapshot=" + snapshotName, "--dbname=" + source.libpqUri()), source);
            try {
                pgDump.stdin().close();
            } catch (IOException e) {
                throw new DumpFailedException("could not start " + client.pgDump() + ": " + e.getMessage());
            }
            return new StartedDump(client, source, snapshot, serverVersion, pgDump);
        } catch (Throwable e) {
            if (pgDump != null) {
                pgDump.close();
            }
            closeQuietly(snapshot);
            throw e;
        }
    }

    /** The database being dumped. */
    PostgresTarget source() {
        return source;
    }

    PostgresClient client() {
        return client;
    }

    String serverVersion() {
        return serverVersion;
    }

    PostgresProgram pgDump() {
        return pgDump;
    }

    /**
     * Takes the dump over, once: starts counting the tables in its snapshot, beside the dump, and returns pg_dump's
     * output for the one reader that stores it.
     */
    InputStream takeOver() {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("the dump was taken over already");
        }
        counts = Background.supply("backup-row-counts", () -> TableCounts.count(snapshot, stopCounting::get));
        return pgDump.stdout();
    }

    /** The row counts of the dumped snapshot, from {@link #takeOver()}; waits for them. */
    Map<String, Long> counts() throws SQLException, InterruptedException {
        try {
            return counts.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("counting rows failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Ends the snapshot's transaction, once pg_dump and the counts are done with it. */
    void endSnapshot() throws SQLException {
        snapshot.rollback();
    }

    /**
     * Stops pg_dump if it still runs, stops the counting (no table after the one being
     * counted; that one is cancelled on the server, as far as a cancel request reaches it in time) and closes the
     * snapshot's connection; safe to call again.
     */
    @Override
    public void close() {
        pgDump.close();
        stopCounting.set(true);
        CompletableFuture<Map<String, Long>> counting = counts;
        if (counting != null && !counting.isDone()) {
            try {
                snapshot.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException e) {
                // Closing the connection ends the count when it next writes to the client.
            }
        }
        closeQuietly(snapshot);
    }

    private static String beginSnapshot(Connection connection, PostgresClient client)
            throws SQLException, BackupException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            // The counts run beside pg_dump: parallel workers would only take CPU from it.
            statement.execute("SET LOCAL max_parallel_workers_per_gather = 0");
            try (ResultSet rows = statement.executeQuery("SHOW server_version")) {
                rows.next();
                String version = rows.getString(1);
                PostgresVersion server = PostgresVersion.parse(version);
                if (!client.version().canDump(server)) {
                    throw new BackupException("pg_dump " + client.version() + " (" + client.pgDump()
                            + ") cannot dump PostgreSQL " + version + "; install postgresql-client-" + server.major()
                            + " or set backup.clientBinDirectory");
                }
                return version;
            }
        }
    }

    private static String exportSnapshot(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_export_snapshot()")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The connection is gone either way; its transaction ends with it.
        }
    }
}
