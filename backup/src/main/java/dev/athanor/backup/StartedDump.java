package dev.athanor.backup;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;

/**
 * pg_dump running on a snapshot exported by a transaction of ours: the first half of a backup, which
 * {@link Backups#run(BackupKind, StartedDump, TransferProgress, java.util.function.BooleanSupplier)} takes over (and
 * counts the tables in the same transaction meanwhile). {@code ops backup run} starts it as soon as it knows the
 * database, beside the reading and validating of the rest of the configuration; until it is taken over nothing is
 * stored, and closing it stops pg_dump and ends the transaction.
 */
public final class StartedDump implements AutoCloseable {

    private final PostgresClient client;
    private final PostgresTarget source;
    private final Instant startedAt;
    private final Connection snapshot;
    private final String serverVersion;
    private final PostgresProgram pgDump;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final AtomicBoolean stopCounting = new AtomicBoolean();
    private volatile CompletableFuture<Map<String, Long>> counts;
    private volatile DumpReadAhead readAhead;

    private StartedDump(PostgresClient client, PostgresTarget source, Instant startedAt, Connection snapshot,
            String serverVersion, PostgresProgram pgDump) {
        this.client = client;
        this.source = source;
        this.startedAt = startedAt;
        this.snapshot = snapshot;
        this.serverVersion = serverVersion;
        this.pgDump = pgDump;
    }

    /**
     * Opens a repeatable-read transaction on {@code source}, exports its snapshot and starts {@code client}'s pg_dump
     * on it; {@code startedAt} becomes the backup's time. On failure nothing is left open or running.
     *
     * @throws BackupException when pg_dump is older than the server, or cannot be started
     * @throws SQLException when the database cannot be reached
     */
    public static StartedDump start(PostgresClient client, PostgresTarget source, Instant startedAt)
            throws BackupException, SQLException {
        return start(client, source, startedAt, source.dataSource("athanor-backup").getConnection(), 0);
    }

    /**
     * As {@link #start(PostgresClient, PostgresTarget, Instant)}, giving up when the database has not accepted the
     * connection within {@code timeout} seconds, or leaves any one answer of the start waiting as long.
     */
    public static StartedDump startWithin(PostgresClient client, PostgresTarget source, Instant startedAt,
            int timeout) throws BackupException, SQLException {
        return start(client, source, startedAt, source.dataSource("athanor-backup", timeout).getConnection(),
                timeout);
    }

    private static StartedDump start(PostgresClient client, PostgresTarget source, Instant startedAt,
            Connection snapshot, int timeout) throws BackupException, SQLException {
        PostgresProgram pgDump = null;
        try {
            snapshot.setNetworkTimeout(Runnable::run, timeout * 1000);
            snapshot.setAutoCommit(false);
            String serverVersion = beginSnapshot(snapshot, client);
            String snapshotName = exportSnapshot(snapshot);
            // the counts, later, take as long as they take
            snapshot.setNetworkTimeout(Runnable::run, 0);
            pgDump = PostgresProgram.start(List.of(client.pgDump().toString(), "--format=custom",
                    "--no-password", "--snapshot=" + snapshotName, "--dbname=" + source.libpqUri()), source);
            try {
                pgDump.stdin().close();
            } catch (IOException e) {
                throw new DumpFailedException("could not start " + client.pgDump() + ": " + e.getMessage());
            }
            return new StartedDump(client, source, startedAt, snapshot, serverVersion, pgDump);
        } catch (Throwable e) {
            if (pgDump != null) {
                pgDump.close();
            }
            closeQuietly(snapshot);
            throw e;
        }
    }

    /**
     * Reads up to {@code bytes} of pg_dump's output into memory (in pieces) on a thread of its own, so that pg_dump
     * goes on while the rest of the configuration is read and the backup's destination prepared; the backup reads
     * them first, and the reading ahead stops when it takes over. At most once, before the backup starts.
     */
    public void readAhead(int bytes) {
        if (taken.get() || readAhead != null) {
            throw new IllegalStateException("pg_dump's output is read already");
        }
        readAhead = new DumpReadAhead(pgDump.stdout(), bytes);
    }

    /** The database being dumped. */
    public PostgresTarget source() {
        return source;
    }

    /** When the dump was started: the backup's time. */
    public Instant startedAt() {
        return startedAt;
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
     * output for the one reader that stores it: what was read ahead (the reading ahead stopped first), then the rest
     * as pg_dump writes it.
     */
    InputStream takeOver() throws IOException, InterruptedException {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("the dump was taken over already");
        }
        counts = Background.supply("backup-row-counts", () -> TableCounts.count(snapshot, stopCounting::get));
        DumpReadAhead ahead = readAhead;
        return ahead == null ? pgDump.stdout() : ahead.takeOver(pgDump.stdout());
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
     * Stops pg_dump if it still runs, lets go of what was read ahead, stops the counting (no table after the one being
     * counted; that one is cancelled on the server, as far as a cancel request reaches it in time) and closes the
     * snapshot's connection; safe to call again.
     */
    @Override
    public void close() {
        pgDump.close();
        DumpReadAhead ahead = readAhead;
        if (ahead != null) {
            ahead.discard();
        }
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
