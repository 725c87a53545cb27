package dev.athanor;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.athanor.accounts.AccountsFactory;
import dev.athanor.accounts.NewsletterFactory;
import dev.athanor.api.ApiFactory;
import dev.athanor.billing.BillingFactory;
import dev.athanor.content.ContentFactory;
import dev.athanor.mail.MailFactory;
import dev.athanor.media.MediaFactory;
import dev.athanor.monitoring.MonitoringFactory;
import dev.athanor.monitoring.alerts.AlertsFactory;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import dev.athanor.monitoring.mail.SmtpFactory;
import dev.athanor.monitoring.deploy.DeployFactory;
import dev.athanor.monitoring.nginx.NginxFactory;
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
    private ContentFactory content = new ContentFactory();

    @Valid
    @NotNull
    @JsonProperty
        private BackupFactory backup = new BackupFactory();

    @Valid
    @NotNull
    @JsonProperty
    private CertificatesFactory certificates = new CertificatesFactory();

    @Valid
    @NotNull
    @JsonProperty
    private MediaFactory media = new MediaFactory();

    @Valid
    @NotNull
    @JsonProperty
    private AlertsFactory alerts = new AlertsFactory();

    @Valid
    @NotNull
    @JsonProperty
    private AccountsFactory accounts = new AccountsFactory();

    @Valid
    @NotNull
    @JsonProperty
    private MailFactory mail = new MailFactory();

    @Valid
    @NotNull
    @JsonProperty
    private NewsletterFactory newsletter = new NewsletterFactory();

    @Valid
    @NotNull
    @JsonProperty
    private BillingFactory billing = new BillingFactory();

    @Valid
    @NotNull
    @JsonProperty
    private ApiFactory api = new ApiFactory();

    @Valid
    @NotNull
    @JsonProperty
    private SmtpFactory smtp = new SmtpFactory();

    @Valid
    @NotNull
    @JsonProperty
    private MonitoringFactory monitoring = new MonitoringFactory();

    @Valid
    @NotNull
    @JsonProperty
    private NginxFactory nginx = new NginxFactory();

    @Valid
    @NotNull
    @JsonProperty
    private SchedulerFactory scheduler = new SchedulerFactory();

    @Valid
    @NotNull
    @JsonProperty
    private DeployFactory deploy = new DeployFactory();

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

    public ContentFactory getContent() {
        return content;
    }

    public MediaFactory getMedia() {
        return media;
    }

    public AccountsFactory getAccounts() {
        return accounts;
    }

    public MailFactory getMail() {
        return mail;
    }

    public NewsletterFactory getNewsletter() {
        return newsletter;
    }

    public BillingFactory getBilling() {
        return billing;
    }

    public ApiFactory getApi() {
        return api;
    }

    public CertificatesFactory getCertificates() {
        return certificates;
    }

    public AlertsFactory getAlerts() {
        return alerts;
    }

    public SmtpFactory getSmtp() {
        return smtp;
    }

    public MonitoringFactory getMonitoring() {
        return monitoring;
    }

    public NginxFactory getNginx() {
        return nginx;
    }

    /** The {@code deploy} section, read by {@code ops deploy}, {@code ops rollback} and {@code ops releases}. */
    public DeployFactory getDeploy() {
        return deploy;
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
