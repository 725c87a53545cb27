package dev.athanor.platform.db;

import com.codahale.metrics.health.HealthCheck;

/** The schema matches this release: nothing pending, nothing failed, nothing newer than this release knows. */
final class MigrationsHealthCheck extends HealthCheck {

    private final Migrations migrations;

    MigrationsHealthCheck(Migrations migrations) {
        this.migrations = migrations;
    }

    @Override
    protected Result check() {
        return migrations.problem().map(Result::unhealthy).orElseGet(() -> Result.healthy("up to date"));
    }
}
