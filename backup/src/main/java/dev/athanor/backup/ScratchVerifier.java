package dev.athanor.backup;

import dev.athanor.backup.archive.ChecksumMismatchException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a backup restorable: restores it into a scratch database on the configured server, counts every table and
 * compares the counts with the manifest, then drops the scratch database whatever happened.
 */
final class ScratchVerifier {

    private static final Logger LOGGER = LoggerFactory.getLogger(ScratchVerifier.class);

    private final ArchiveRestorer restorer;

    ScratchVerifier(ArchiveRestorer restorer) {
        this.restorer = restorer;
    }

    /**
     * Verifies {@code manifest}'s backup.
     *
     * @return a description of what matched
     * @throws VerificationFailedException when the backup itself is wrong (to be recorded)
     * @throws BackupException when the verification could not be done (not the backup's fault)
     */
    String verify(BackupManifest manifest, PostgresTarget server, TransferProgress progress) throws BackupException {
        try {
            restorer.checkIntact(manifest, progress);
        } catch (ChecksumMismatchException e) {
            throw new VerificationFailedException(e.getMessage(), e);
        }
        String scratchName = "athanor_verify_" + manifest.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        PostgresTarget scratch = server.withDatabase(scratchName);
        execute(server, "DROP DATABASE IF EXISTS " + TableCounts.quote(scratchName) + " WITH (FORCE)");
        execute(server, "CREATE DATABASE " + TableCounts.quote(scratchName));
        try {
            try {
                restorer.restore(manifest, scratch, false, progress);
            } catch (ChecksumMismatchException | DumpFailedException e) {
                throw new VerificationFailedException(e.getMessage(), e);
            }
            Map<String, Long> restored;
            try (Connection connection = scratch.dataSource("athanor-verify").getConnection()) {
                restored = TableCounts.count(connection);
            } catch (SQLException e) {
                throw new BackupException("could not count the rows of " + scratch.describe() + ": "
                        + e.getMessage(), e);
            }
            List<String> differences = compare(manifest.tables(), restored);
            if (!differences.isEmpty()) {
                throw new VerificationFailedException("the restored rows differ from the manifest: "
                        + String.join("; ", differences.subList(0, Math.min(10, differences.size()))), null);
            }
            long rows = restored.values().stream().mapToLong(Long::longValue).sum();
            return "restored into a scratch database; " + restored.size() + " tables and " + rows
                    + " rows match the manifest";
        } finally {
            try {
                execute(server, "DROP DATABASE IF EXISTS " + TableCounts.quote(scratchName) + " WITH (FORCE)");
            } catch (BackupException e) {
                LOGGER.warn("Could not drop the scratch database {}: {}", scratchName, e.getMessage());
            }
        }
    }

    static List<String> compare(Map<String, Long> expected, Map<String, Long> actual) {
        List<String> differences = new ArrayList<>();
        for (String table : new TreeSet<>(expected.keySet())) {
            Long restored = actual.get(table);
            if (restored == null) {
                differences.add(table + " is missing");
            } else if (!restored.equals(expected.get(table))) {
                differences.add(table + ": " + expected.get(table) + " rows in the manifest, " + restored
                        + " restored");
            }
        }
        for (String table : new TreeSet<>(actual.keySet())) {
            if (!expected.containsKey(table)) {
                differences.add(table + " is not in the manifest");
            }
        }
        return differences;
    }

    private static void execute(PostgresTarget server, String sql) throws BackupException {
        try (Connection connection = server.dataSource("athanor-verify").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new BackupException("could not prepare a scratch database on " + server.server() + " (" + sql
                    + "): " + e.getMessage() + "; the database user needs the CREATEDB privilege", e);
        }
    }
}
