package dev.athanor.platform.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's {@code server} command, reporting a failure to start in one line instead of a stack trace. */
public final class SiteServerCommand<T extends Configuration> extends ServerCommand<T> {

    public SiteServerCommand(Application<T> application) {
        super(application);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("athanor: " + StartupProblem.describe(e, namespace.getString("file")));
    }
}
