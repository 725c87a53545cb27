package dev.athanor;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.athanor.backup.BackupFactory;
import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.platform.db.DatabaseFactory;
import dev.athanor.platform.health.SiteHealth;
import dev.athanor.platform.health.StorageFactory;
import dev.athanor.platform.web.SiteFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The whole of {@code config.yml}. Dropwizard's own sections ({@code server}, {@code logging}, {@code metrics},
 * {@code health}) sit beside Athanor's; each of Athanor's top-level keys maps to one factory class in the package that
 * owns it, which validates itself and builds what it describes.
 */
public class AthanorConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty
    private SiteFactory site;

    @Valid
    @NotNull
    @JsonProperty
    private DatabaseFactory database = new DatabaseFactory();

    @Valid
    @NotNull
    @JsonProperty
    private StorageFactory storage = new StorageFactory();

    @Valid
    @NotNull
    @JsonProperty
    private BackupFactory backup = new BackupFactory();

    @Valid
    @NotNull
    @JsonProperty
    private SchedulerFactory scheduler = new SchedulerFactory();

    public AthanorConfiguration() {
        setHealthFactory(SiteHealth.defaults());
        setServerFactory(getServerFactory());
    }

    /**
     * The site installs its own exception mappers (error pages in the layout, JSON for the API); Dropwizard's default
     * ones would answer every error with their own JSON instead, so they stay off whatever the file says.
     */
    @Override
    @JsonProperty("server")
    public void setServerFactory(ServerFactory factory) {
        if (factory instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        super.setServerFactory(factory);
    }

    public SiteFactory getSite() {
        return site;
    }

    public DatabaseFactory getDatabase() {
        return database;
    }

    public StorageFactory getStorage() {
        return storage;
    }

    /** The {@code backup} section, read by {@code ops backup} and the site's {@code backup-age} health check. */
    public BackupFactory getBackup() {
        return backup;
    }

    /** The {@code scheduler} section, read by {@code ops scheduler} and the site's {@code scheduler} health check. */
    public SchedulerFactory getScheduler() {
        return scheduler;
    }
}
