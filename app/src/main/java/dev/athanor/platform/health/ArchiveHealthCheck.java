package dev.athanor.platform.health;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.backup.pitr.ArchiveStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * {@code archive}: the write-ahead log's archiving for point-in-time recovery. Healthy with "archiving off" when
 * {@code archive_mode} is off (a site without point-in-time recovery stays green); unhealthy when a push is failing or
 * the oldest segment waiting to be archived is older than {@code backup.pitr.lagAlert}, naming the segment and the
 * age. A warning: the site keeps serving. A database that cannot be read is the database check's to report.
 */
final class ArchiveHealthCheck extends HealthCheck {

    static final String NAME = "archive";

    private final DataSource dataSource;
    private final Duration lagAlert;

    ArchiveHealthCheck(DataSource dataSource, Duration lagAlert) {
        this.dataSource = dataSource;
        this.lagAlert = lagAlert;
    }

    @Override
    protected Result check() {
        ArchiveStatus status;
        try (Connection connection = dataSource.getConnection()) {
            status = ArchiveStatus.read(connection);
        } catch (SQLException e) {
            return Result.healthy("unknown: the database cannot be read (" + e.getMessage() + ")");
        }
        return status.problem(lagAlert).map(Result::unhealthy).orElseGet(() -> Result.healthy(status.describe()));
    }
}
