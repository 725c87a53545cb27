package dev.athanor.platform.db;

import com.codahale.metrics.health.HealthCheck;

/**
 * The schema matches this release: nothing pending, nothing failed. Migrations of a newer release (a deploy in
 * progress, a rollback) leave it healthy, and are named in its message.
 */
final class MigrationsHealthCheck extends HealthCheck {

    private final Migrations migrations;

    MigrationsHealthCheck(Migrations migrations) {
        this.migrations = migrations;
    }

    @Override
    protected Result check() {
        return migrations.problem().map(Result::unhealthy)
                .orElseGet(() -> Result.healthy(migrations.newerInDatabase().orElse("up to date")));
    }
}
