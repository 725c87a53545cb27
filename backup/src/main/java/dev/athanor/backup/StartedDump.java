package dev.athanor.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import org.postgresql.PGConnection;

/**
 * pg_dump running on a snapshot exported by a transaction of ours: the first half of a backup, which
 * {@link Backups#run(BackupKind, StartedDump, TransferProgress, java.util.function.BooleanSupplier)} finishes (counting
 * the tables in the same transaction meanwhile). {@code ops backup run} starts it as soon as it knows the database,
 * beside the reading and checking of the rest of the configuration; until then nothing is stored, and closing it unused
 * stops pg_dump and ends the transaction.
 */
public final class StartedDump implements AutoCloseable {

    /** Seconds the ordinary start gives the database to accept a connection. */
    public static final int CONNECT_TIMEOUT = 10;

    private static final int CHUNK = 256 * 1024;

    private final PostgresClient client;
    private final PostgresTarget source;
    private final Instant startedAt;
    private final Connection snapshot;
    private final String serverVersion;
    private final PostgresProgram pgDump;
    private volatile CompletableFuture<Map<String, Long>> counts;
    private volatile ReadAhead readAhead;

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
     * Opens a repeatable-read transaction on {@code source} (waiting up to {@code connectTimeout} seconds to connect
     * and as long again to log in), exports its snapshot and starts {@code client}'s pg_dump on it; {@code startedAt}
     * becomes the backup's time. On failure nothing is left open or running.
     *
     * @throws BackupException when pg_dump is older than the server, or cannot be started
     * @throws SQLException when the database cannot be reached
     */
    public static StartedDump start(PostgresClient client, PostgresTarget source, Instant startedAt,
            int connectTimeout) throws BackupException, SQLException {
        Connection snapshot = source.dataSource("athanor-backup", connectTimeout).getConnection();
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
     * goes on while the backup's destination is being prepared; the backup reads them first, and the reading ahead
     * stops when it takes over. Once, before the backup starts.
     */
    public void readAhead(int bytes) {
        if (readAhead != null) {
            throw new IllegalStateException("pg_dump's output is read ahead already");
        }
        readAhead = new ReadAhead(pgDump.stdout(), bytes);
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

    /** Starts counting the tables in the dump's snapshot, beside the dump: when the backup takes the dump over. */
    void startCounting() {
        counts = Background.supply("backup-row-counts", () -> TableCounts.count(snapshot));
    }

    /**
     * pg_dump's output, for the one reader that stores it: what was read ahead (the reading ahead stopped first),
     * then the rest as pg_dump writes it.
     */
    InputStream output() throws IOException, InterruptedException {
        ReadAhead ahead = readAhead;
        return ahead == null ? pgDump.stdout() : ahead.takeOver(pgDump.stdout());
    }

    /** The row counts of the dumped snapshot, from {@link #startCounting()}; waits for them. */
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
     * Stops pg_dump if it still runs, cancels a count still running on the server (closing the connection alone would
     * leave the server scanning until the count ends) and closes the snapshot's connection; safe to call again.
     */
    @Override
    public void close() {
        pgDump.close();
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
            throws SQLException, BackupException {        try (Statement statement = connection.createStatement()) {
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

    /** pg_dump's output read into pieces of memory until a limit, the end of the dump, or the backup taking over. */
    private static final class ReadAhead {

        private final Deque<byte[]> pieces = new ConcurrentLinkedDeque<>();
        private final CompletableFuture<Void> reading;
        private volatile boolean stopped;

        ReadAhead(InputStream output, int limit) {
            reading = Background.supply("backup-read-ahead", () -> {
                int total = 0;
                while (!stopped && total < limit) {
                    byte[] piece = output.readNBytes(Math.min(CHUNK, limit - total));
                    if (piece.length == 0) {
                        break;
                    }
                    pieces.add(piece);
                    total += piece.length;
                }
                return null;
            });
        }

        /** Stops reading ahead (after the piece being read) and returns what was read, then {@code output}. */
        InputStream takeOver(InputStream output) throws IOException, InterruptedException {
            stopped = true;
            try {
                reading.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("reading pg_dump's output failed: " + e.getCause().getMessage(), e.getCause());
            }
            // Each piece is let go once it has been read.
            Enumeration<InputStream> streams = new Enumeration<>() {
                private boolean outputGiven;

                @Override
                public boolean hasMoreElements() {
                    return !pieces.isEmpty() || !outputGiven;
                }

                @Override
                public InputStream nextElement() {
                    byte[] piece = pieces.poll();
                    if (piece != null) {
                        return new ByteArrayInputStream(piece);
                    }
                    if (outputGiven) {
                        throw new NoSuchElementException();
                    }
                    outputGiven = true;
                    return output;
                }
            };
            return new SequenceInputStream(streams);
        }
    }
}
