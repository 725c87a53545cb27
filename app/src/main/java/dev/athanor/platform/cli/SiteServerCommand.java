package dev.athanor.platform.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropwizard's {@code server} command, reporting a failure to start in one line instead of a stack trace, and
 * releasing what the application opened (the pool, the embedded database) when the server itself fails to start,
 * for instance because its port is taken: Jetty never started those objects, so it would not stop them either. On
 * SIGTERM the server drains before it stops (see {@link GracefulStop}).
 */
public final class SiteServerCommand<T extends Configuration> extends ServerCommand<T> {

    private static final Logger LOGGER = LoggerFactory.getLogger(SiteServerCommand.class);

    public SiteServerCommand(Application<T> application) {
        super(application);
    }

    @Override
    protected void run(Environment environment, Namespace namespace, T configuration) throws Exception {
        environment.lifecycle().addEventListener(new GracefulStop());
        try {
            super.run(environment, namespace, configuration);
        } catch (Exception e) {
            List<LifeCycle> managed = new ArrayList<>(environment.lifecycle().getManagedObjects());
            java.util.Collections.reverse(managed);
            for (LifeCycle object : managed) {
                if (object instanceof JettyManaged jetty) {
                    stopQuietly(jetty.getManaged());
                }
            }
            throw e;
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("athanor: " + StartupProblem.describe(e, namespace.getString("file")));
    }

    private static void stopQuietly(Managed managed) {
        try {
            managed.stop();
        } catch (Exception e) {
            LOGGER.debug("Could not stop {} after a failed start", managed, e);
        }
    }
}
