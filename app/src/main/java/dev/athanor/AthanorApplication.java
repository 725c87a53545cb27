package dev.athanor;

import dev.athanor.content.HomeResource;
import dev.athanor.platform.cli.DbCommand;
import dev.athanor.platform.cli.SiteCheckCommand;
import dev.athanor.platform.cli.SiteServerCommand;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.health.BackupHealthChecks;
import dev.athanor.platform.health.HealthChecks;
import dev.athanor.platform.health.PrometheusEndpoint;
import dev.athanor.platform.web.Web;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.views.common.ViewBundle;

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
        PrometheusEndpoint.install(environment);
        Web web = Web.install(configuration.getSite(), environment);
        Database database = Database.open(configuration.getDatabase(), environment, healthChecks);
        BackupHealthChecks.register(configuration.getBackup(), configuration.getScheduler(), database.dataSource(),
                environment, healthChecks);

        environment.jersey().register(new HomeResource(web.layout()));
    }
}
