package dev.athanor.ops.deploy;

import dev.athanor.platform.db.MigrationLint;
import dev.athanor.platform.db.MigrationLint.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.sql.DataSource;

/**
 * What a deploy or a rollback does to the schema, read before it starts anything: the migrations a release's jar
 * would apply (pending) and, for a rollback, those the database has that the older release does not know (future),
 * each with what {@link MigrationLint} finds in it. A deploy refuses pending ones that break the running release; a
 * rollback refuses when the schema moved forward in a way the older release cannot run on.
 */
final class MigrationReview {

    /** sysexits(3), as {@code OpsFailure} uses them. */
    private static final int DATA = 65;
    private static final int UNAVAILABLE = 69;

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__[^/]+\\.sql");
    private static final String LOCATION = "db/migration/";

    /** Flyway's order of versions: numeric part by part, {@code 2.1 < 10}, {@code 1.0 == 1}. */
    static final Comparator<String> VERSION_ORDER = Comparator.comparing(MigrationReview::parts,
            MigrationReview::compareParts);

    /** One versioned migration shipped in a release's jar: {@code 27}, {@code V27__drop_legacy.sql}, its SQL. */
    record MigrationFile(String version, String file, String sql) {
    }

    /**
     * One migration under review, with what the lint found; {@code unknown} when its SQL is in no kept release, so
     * nothing can be said of it.
     */
    record Reviewed(String version, String file, List<Finding> findings, boolean unknown) {

        /** Whether it may break the release running beside it, or the one rolled back to. */
        boolean breaking() {
            return unknown || !findings.isEmpty();
        }

        /** One line per finding, for people: {@code V27__drop_legacy.sql:3: drops column users.nickname}. */
        List<String> lines() {
            if (unknown) {
                return List.of(file + ": unknown: not in any kept release");
            }
            return findings.stream().map(Finding::describe).toList();
        }
    }

    private MigrationReview() {
    }

    /** The versioned migrations in {@code db/migration/} of a release's jar, oldest first; no class is loaded. */
    static List<MigrationFile> inJar(Path jar) throws DeployException {
        List<MigrationFile> migrations = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String file = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                Matcher matcher = VERSIONED.matcher(file);
                if (entry.isDirectory() || !entry.getName().startsWith(LOCATION) || !matcher.matches()) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    migrations.add(new MigrationFile(matcher.group(1).replace('_', '.'), file,
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new DeployException("Cannot read the migrations in " + jar + ": " + e.getMessage(), DATA, e);
        }
        migrations.sort(Comparator.comparing(MigrationFile::version, VERSION_ORDER));
        return List.copyOf(migrations);
    }

    /** The migrations a database has applied, as Flyway recorded them; none in a new database. */
    static SchemaHistory applied(DataSource database) throws DeployException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return SchemaHistory.EMPTY;
                }
            }
            List<SchemaHistory.Entry> entries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT version, script, type = 'BASELINE' FROM flyway_schema_history
                    WHERE success AND version IS NOT NULL""")) {
                while (rows.next()) {
                    entries.add(new SchemaHistory.Entry(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
                }
            }
            return new SchemaHistory(entries);
        } catch (SQLException e) {
            throw new DeployException("Cannot read the schema history (flyway_schema_history): " + e.getMessage(),
                    UNAVAILABLE, e);
        }
    }

    /** The jar's migrations the database has not applied, oldest first, each with its findings. */
    static List<Reviewed> pending(List<MigrationFile> jar, SchemaHistory applied) {
        return jar.stream().filter(migration -> !applied.has(migration.version()))
                .map(migration -> new Reviewed(migration.version(), migration.file(),
                        MigrationLint.check(migration.file(), migration.sql()), false))
                .toList();
    }

    /**
     * The applied migrations newer than the {@code target} release's newest, oldest first: what a rollback to it would
     * run on. Each one's findings come from its SQL in {@code known} (the migrations of the live release, or of every
     * kept one); one found nowhere is {@linkplain Reviewed#unknown() unknown}.
     */
    static List<Reviewed> future(List<MigrationFile> target, SchemaHistory applied, List<MigrationFile> known) {
        Optional<String> newest = target.stream().map(MigrationFile::version).max(VERSION_ORDER);
        List<Reviewed> future = new ArrayList<>();
        for (SchemaHistory.Entry entry : applied.entries()) {
            if (entry.baseline() || newest.isPresent() && VERSION_ORDER.compare(entry.version(), newest.get()) <= 0) {
                continue;
            }
            Optional<MigrationFile> source = known.stream()
                    .filter(migration -> VERSION_ORDER.compare(migration.version(), entry.version()) == 0)
                    .findFirst();
            future.add(source
                    .map(migration -> new Reviewed(entry.version(), migration.file(),
                            MigrationLint.check(migration.file(), migration.sql()), false))
                    .orElseGet(() -> new Reviewed(entry.version(), entry.script(), List.of(), true)));
        }
        return List.copyOf(future);
    }

    /** Every finding of {@code reviewed} on a line of its own, for a refusal; empty when nothing breaks. */
    static List<String> describe(List<Reviewed> reviewed) {
        return reviewed.stream().flatMap(migration -> migration.lines().stream()).toList();
    }

    /** Whether any of {@code reviewed} may break the other release. */
    static boolean breaking(List<Reviewed> reviewed) {
        return reviewed.stream().anyMatch(Reviewed::breaking);
    }

    private static BigInteger[] parts(String version) {
        BigInteger[] parts = Arrays.stream(version.split("[._]")).map(BigInteger::new).toArray(BigInteger[]::new);
        int length = parts.length;
        while (length > 1 && parts[length - 1].signum() == 0) {
            length--;
        }
        return Arrays.copyOf(parts, length);
    }

    private static int compareParts(BigInteger[] left, BigInteger[] right) {
        for (int index = 0; index < Math.min(left.length, right.length); index++) {
            int order = left[index].compareTo(right[index]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.length, right.length);
    }
}
