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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * pg_dump running on a snapshot exported by a transaction of ours, with the tables being counted in that transaction
 * meanwhile: the first half of a backup, which {@link Backups#run(BackupKind, StartedDump, TransferProgress,
 * java.util.function.BooleanSupplier)} finishes. {@code ops backup run} starts it as soon as it knows the database,
 * while the rest of the configuration is read and checked; until then nothing is stored, and closing it unused stops
 * pg_dump and ends the transaction.
 */
public final class StartedDump implements AutoCloseable {

    private final PostgresClient client;
    private final PostgresTarget source;
    private final Instant startedAt;
    private final Connection snapshot;
    private final String serverVersion;
    private final PostgresProgram pgDump;
    private final CompletableFuture<Map<String, Long>> counts;
    private CompletableFuture<byte[]> readAhead;

    private StartedDump(PostgresClient client, PostgresTarget source, Instant startedAt, Connection snapshot,
            String serverVersion, PostgresProgram pgDump) {
        this.client = client;
        this.source = source;
        this.startedAt = startedAt;
        this.snapshot = snapshot;
        this.serverVersion = serverVersion;
        this.pgDump = pgDump;
        this.counts = Background.supply("backup-row-counts", () -> TableCounts.count(snapshot));
    }

    /**
     * Opens a repeatable-read transaction on {@code source}, exports its snapshot and starts {@code client}'s pg_dump
     * on it; {@code startedAt} becomes the backup's time. On failure nothing is left open.
     *
     * @throws BackupException when pg_dump is older than the server, or cannot be started
     * @throws SQLException when the database cannot be reached
     */
    public static StartedDump start(PostgresClient client, PostgresTarget source, Instant startedAt)
            throws BackupException, SQLException {
        Connection snapshot = source.dataSource("athanor-backup").getConnection();
        try {
            snapshot.setAutoCommit(false);
            String serverVersion = beginSnapshot(snapshot, client);
            String snapshotName = exportSnapshot(snapshot);
            PostgresProgram pgDump = PostgresProgram.start(List.of(client.pgDump().toString(), "--format=custom",
                    "--no-password", "--snapshot=" + snapshotName, "--dbname=" + source.libpqUri()), source);
            try {
                pgDump.stdin().close();
            } catch (IOException e) {
                pgDump.close();
                throw new DumpFailedException("could not start " + client.pgDump() + ": " + e.getMessage());
            }
            return new StartedDump(client, source, startedAt, snapshot, serverVersion, pgDump);
        } catch (BackupException | SQLException | RuntimeException e) {
            closeQuietly(snapshot);
            throw e;
        }
    }

    /**
     * Reads up to {@code bytes} of pg_dump's output into memory on a thread of its own, so that pg_dump goes on
     * while the backup's destination is being prepared; {@link #stdout()} returns them first.
     */
    public synchronized void readAhead(int bytes) {
        if (readAhead == null) {
            InputStream output = pgDump.stdout();
            readAhead = Background.supply("backup-read-ahead", () -> output.readNBytes(bytes));
        }
    }

    /** The database being dumped. */
    public PostgresTarget source() {
        return source;
    }

    /** The pg_dump this dump runs. */
    public PostgresClient client() {
        return client;
    }

    /** When the dump was started: the backup's time. */
    public Instant startedAt() {
        return startedAt;
    }

    String serverVersion() {
        return serverVersion;
    }

    PostgresProgram pgDump() {
        return pgDump;
    }

    /** What was read ahead, if anything was asked for; waits for it. */
    synchronized Optional<byte[]> readAheadBytes() throws IOException, InterruptedException {
        if (readAhead == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(readAhead.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("reading pg_dump's output failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The row counts of the dumped snapshot; waits for them. */
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

    /** Stops pg_dump if it still runs and closes the snapshot's connection; safe to call again. */
    @Override
    public void close() {
        pgDump.close();
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
