package dev.athanor.platform.db;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * The schema's one history: the Flyway migrations in {@code db/migration}, applied by the site at start, by
 * {@code db migrate} and by {@code ops} before it needs a table.
 */
public final class Migrations {

    /** One migration as the database sees it. */
    public record Status(String version, String description, String state, Optional<Instant> installedOn) {
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Flyway flyway;

    public Migrations(DataSource dataSource) {
        this.flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .loggers("slf4j")
                .load();
    }

    /** Applies what is pending and returns how many migrations ran; a failure rolls back that migration. */
    public int migrate() {
        return flyway.migrate().migrationsExecuted;
    }

    /** Every migration this release knows and every one the database has recorded, oldest first. */
    public List<Status> status() {
        return Arrays.stream(flyway.info().all())
                .map(info -> new Status(
                        info.getVersion() == null ? "" : info.getVersion().getVersion(),
                        info.getDescription(),
                        info.getState().getDisplayName(),
                        Optional.ofNullable(info.getInstalledOn()).map(java.util.Date::toInstant)))
                .toList();
    }

    /** {@link #status()} as a table for the terminal, a header line first. */
    public List<String> statusTable() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format("%-8s %-40s %-10s %s", "VERSION", "DESCRIPTION", "STATE", "INSTALLED (UTC)"));
        for (Status status : status()) {
            lines.add(String.format("%-8s %-40s %-10s %s", status.version(), status.description(), status.state(),
                    status.installedOn().map(WHEN::format).orElse("")).stripTrailing());
        }
        return lines;
    }

    /**
     * What keeps the schema from matching this release, or empty when it does: pending migrations or a failed one.
     * Migrations recorded by a newer release are no problem (see {@link #newerInDatabase()}).
     */
    public Optional<String> problem() {
        MigrationInfoService info = flyway.info();
        List<MigrationInfo> all = Arrays.asList(info.all());
        Optional<MigrationInfo> failed = all.stream().filter(m -> m.getState().isFailed()).findFirst();
        if (failed.isPresent()) {
            return Optional.of("migration " + failed.get().getVersion() + " (" + failed.get().getDescription()
                    + ") failed; fix it and run db migrate");
        }
        MigrationInfo[] pending = info.pending();
        if (pending.length > 0) {
            return Optional.of(pending.length + " migration(s) pending, from " + pending[0].getVersion()
                    + " (" + pending[0].getDescription() + ")");
        }
        return Optional.empty();
    }

    /**
     * The migrations a newer release applied that this one does not know, said for people, if any. That is expected
     * while a deploy runs both releases and after {@code ops rollback}: every migration is expand, then contract, and
     * the deploy and the rollback checked these, so the older release runs on the newer schema.
     */
    public Optional<String> newerInDatabase() {
        List<MigrationInfo> future = Arrays.stream(flyway.info().all())
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS).toList();
        if (future.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the database also has " + future.size() + " migration(s) of a newer release, up to "
                + future.get(future.size() - 1).getVersion() + " (expand, then contract: this release runs on it)");
    }
}
