package dev.athanor.platform.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's {@code check} command (validate a configuration file), reporting problems in one line. */
public final class SiteCheckCommand<T extends Configuration> extends CheckCommand<T> {

    public SiteCheckCommand(Application<T> application) {
        super(application);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("athanor: " + StartupProblem.describe(e, namespace.getString("file")));
    }
}
