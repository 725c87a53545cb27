package dev.athanor;

import dev.athanor.accounts.AccountPageResource;
import dev.athanor.accounts.AccountResource;
import dev.athanor.accounts.Accounts;
import dev.athanor.accounts.AccountsFactory;
import dev.athanor.accounts.CodeSignInResource;
import dev.athanor.accounts.TwoFactorResource;
import dev.athanor.admin.AdminResource;
import dev.athanor.admin.MembersResource;
import dev.athanor.admin.OperatorsOnly;
import dev.athanor.billing.Billing;
import dev.athanor.billing.BillingResource;
import dev.athanor.billing.SubscriptionResource;
import dev.athanor.billing.WebhookResource;
import dev.athanor.content.ArticleResource;
import dev.athanor.content.CaptionResource;
import dev.athanor.content.Content;
import dev.athanor.content.CourseResource;
import dev.athanor.content.FeedResource;
import dev.athanor.content.HomeResource;
import dev.athanor.content.SearchResource;
import dev.athanor.events.Events;
import dev.athanor.media.Media;
import dev.athanor.media.MediaResource;
import dev.athanor.platform.cli.DbCommand;
import dev.athanor.platform.cli.SiteCheckCommand;
import dev.athanor.platform.cli.SiteServerCommand;
import dev.athanor.platform.db.ConnectionDemand;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.health.CertificatesHealthCheck;
import dev.athanor.platform.health.BackupHealthChecks;
import dev.athanor.platform.health.HealthChecks;
import dev.athanor.platform.health.PrometheusEndpoint;
import dev.athanor.platform.db.LearnerChanges;
import dev.athanor.platform.web.BodyLimits;
import dev.athanor.platform.web.ContentSecurityPolicy;
import dev.athanor.platform.web.Cookies;
import dev.athanor.platform.web.NginxPageViews;
import dev.athanor.platform.web.ReadYourWrites;
import dev.athanor.platform.web.SecurityHeaders;
import dev.athanor.platform.web.Site;
import dev.athanor.platform.web.Viewers;
import dev.athanor.platform.web.Web;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.forms.MultiPartBundle;
import io.dropwizard.views.common.ViewBundle;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Request;

/** The site. {@code run} only wires the parts together; each part lives with the context that owns it. */
public class AthanorApplication extends Application<AthanorConfiguration> {

    public static void main(String[] args) throws Exception {
        new AthanorApplication().run(args);
    }

    @Override
    public String getName() {
        return "athanor";
    }

    @Override
    public void initialize(Bootstrap<AthanorConfiguration> bootstrap) {
        // ${VARIABLE} and ${VARIABLE:-default} in config.yml; an undefined variable without a default is an error.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
        bootstrap.addBundle(new ViewBundle<>());
        bootstrap.addBundle(new MultiPartBundle());
        bootstrap.addCommand(new DbCommand());
    }

    @Override
    protected void addDefaultCommands(Bootstrap<AthanorConfiguration> bootstrap) {
        bootstrap.addCommand(new SiteServerCommand<>(this));
        bootstrap.addCommand(new SiteCheckCommand<>(this));
    }

    @Override
    public void run(AthanorConfiguration configuration, Environment environment) throws Exception {
        HealthChecks healthChecks = HealthChecks.create(environment);
        configuration.getStorage().registerHealthChecks(healthChecks);
        healthChecks.register(CertificatesHealthCheck.NAME, new CertificatesHealthCheck(configuration.getCertificates(),
                Clock.systemUTC()), Duration.ofSeconds(5));
        PrometheusEndpoint.install(environment);
        // the release, for ops status (admin /metrics)
        environment.metrics().registerGauge("dev.athanor.version", AthanorVersion::current);
        Database database = Database.open(configuration.getDatabase(), ConnectionDemand.of(configuration.getDatabase(),
                configuration.getScheduler(), configuration.getNginx()), environment, healthChecks);
        BackupHealthChecks.register(configuration.getBackup(), configuration.getScheduler(), database.dataSource(),
                environment, healthChecks);
        try {
            SiteContexts contexts = new SiteContexts(configuration, database.jdbi(), Clock.systemUTC(),
                    environment.metrics());
            Site site = contexts.site();
            Events events = contexts.events();
            environment.lifecycle().manage(events);
            contexts.mail().deliverWhileRunning(configuration.getSmtp(), environment, healthChecks);
            AccountsFactory accountSettings = configuration.getAccounts();
            Accounts accounts = contexts.accounts();
            if (configuration.getNewsletter().isConfigured()) {
                environment.lifecycle().manage(accounts.newsletterSync(configuration.getNewsletter(),
                        environment.metrics()));
            }
            Viewers viewers = viewers(accounts.viewers(new Cookies(site)));
            Web web = Web.install(configuration.getSite(), contentSecurityPolicy(configuration), environment, viewers, events::pageView,
                    bodyLimits(configuration, viewers::isOperator), configuration.getNginx().getPeerAddresses());
            if (configuration.getNginx().getPageFiles().isPresent()) {
                environment.lifecycle().manage(new NginxPageViews(configuration.getNginx().getPageFiles().get(),
                        events::pageView));
            }
            web.watchDatabase(environment.lifecycle(), database.dataSource(),
                    database.unpooled("athanor-page-cache"), contexts.learnerChanges());
            contexts.whenPagesChange(web.pageCache()::invalidate);
            environment.jersey().register(new ReadYourWrites(viewers, contexts.learnerChanges()));
            Media media = contexts.media();
            Billing billing = contexts.billing();
            Content content = contexts.content();
            environment.lifecycle().manage(contexts.housekeeping());
            environment.lifecycle().manage(content.publicationClock(web.pageCache()));
            web.pageCache().whenInvalidated(content::forgetDerived);
            if (configuration.getContent().isDemo() && configuration.getDatabase().isEmbedded()) {
                content.importDemoIfEmpty();
            }

            environment.jersey().register(new HomeResource(content, web));
            environment.jersey().register(new CourseResource(content, web, viewers, events));
            environment.jersey().register(new ArticleResource(content, web));
            environment.jersey().register(new CaptionResource(content, viewers));
            environment.jersey().register(new SearchResource(content, web, viewers));
            environment.jersey().register(new FeedResource(content, web));
            environment.jersey().register(new MediaResource(media));
            environment.jersey().register(new AccountResource(accounts, web, accountSettings.absoluteTimeout()));
            environment.jersey().register(new AccountPageResource(accounts, web, accountSettings.absoluteTimeout()));
            environment.jersey().register(new CodeSignInResource(accounts, web, accountSettings.absoluteTimeout()));
            environment.jersey().register(new TwoFactorResource(accounts, web));
            environment.jersey().register(new BillingResource(billing, web));
            environment.jersey().register(new SubscriptionResource(billing, web));
            environment.jersey().register(new WebhookResource(billing));
            environment.jersey().register(new AdminResource(content, events, web,
                    configuration.getContent().getDirectory()));
            environment.jersey().register(new MembersResource(billing, web));
            environment.jersey().register(new OperatorsOnly(web));
            contexts.api().register(environment.jersey(), configuration.getApi(), billing, content, media, events,
                    web, environment.metrics());
            wired(new Parts(content, events, web, media, accounts, billing, contexts.learnerChanges()));
        } catch (Exception | Error e) {
            database.releaseAfterFailedStart();
            throw e;
        }
    }

    /**
     * How large a request body each path takes: {@code site.requestBodyLimit} everywhere, the Stripe webhook's own
     * limit, and {@code site.uploadLimit} for the content upload when {@code operator} holds. {@code ops nginx config}
     * renders nginx's body sizes from the same limits.
     */
    /** The policy the site sends: {@code site.contentSecurityPolicy} with the origins its contexts send browsers to. */
    public static String contentSecurityPolicy(AthanorConfiguration configuration) {
        return ContentSecurityPolicy.allow(ContentSecurityPolicy.allow(
                configuration.getSite().getContentSecurityPolicy(), "form-action",
                configuration.getBilling().pageOrigins()), "media-src", configuration.getMedia().deliveryOrigins());
    }

    /**
     * The security headers the site sends with a page over https, by name, for nginx to send with the pages it
     * answers from the site's page files.
     */
    public static Map<String, String> pageHeaders(AthanorConfiguration configuration) {
        Map<String, String> headers = new LinkedHashMap<>();
        new SecurityHeaders(contentSecurityPolicy(configuration),
                configuration.getSite().getHstsMaxAge().toSeconds()).apply(true, headers::put);
        return headers;
    }

    public static BodyLimits bodyLimits(AthanorConfiguration configuration, Predicate<Request> operator) {
        return configuration.getSite().bodyLimits()
                .allow(WebhookResource.PATH, WebhookResource.MAX_BODY)
                .allow(AdminResource.UPLOAD_PATH, configuration.getSite().getUploadLimit().toBytes(), operator);
    }

    /** The site's parts once wired, for subclasses (tests) that need to reach them. */
    protected record Parts(Content content, Events events, Web web, Media media, Accounts accounts,
            Billing billing, LearnerChanges learners) {
    }

    /** Called with the site's parts at the end of {@link #run}; does nothing here. */
    protected void wired(Parts parts) {
    }

    /** Who makes each request: the accounts context's sessions (tests may add their own way in). */
    protected Viewers viewers(Viewers sessions) {
        return sessions;
    }
}
