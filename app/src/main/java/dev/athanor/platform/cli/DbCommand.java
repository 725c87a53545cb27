package dev.athanor.platform.cli;

import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.Migrations;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code db migrate} applies pending migrations; {@code db info} lists every migration and its state. Both work on
 * the configured server or on the embedded default, running or not.
 */
public final class DbCommand extends ConfiguredCommand<AthanorConfiguration> {

    private static final String ACTION = "action";

    private PrintStream out = System.out;

    public DbCommand() {
        super("db", "Apply or list the database migrations");
    }

    @Override
    public void configure(Subparser subparser) {
        var actions = subparser.addSubparsers().dest(ACTION).title("actions");
        addFileArgument(actions.addParser("migrate").help("apply pending migrations"));
        addFileArgument(actions.addParser("info").help("list the migrations and their state"));
    }

    @Override
    protected void run(Bootstrap<AthanorConfiguration> bootstrap, Namespace namespace,
            AthanorConfiguration configuration) throws Exception {
        try (DatabaseServer server = configuration.getDatabase().start()) {
            Migrations migrations = new Migrations(server.dataSource("athanor-db-command"));
            if ("migrate".equals(namespace.getString(ACTION))) {
                int applied = migrations.migrate();
                out.println(applied == 0 ? "Schema up to date." : "Applied " + applied + " migration(s).");
            } else {
                migrations.statusTable().forEach(out::println);
            }
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("athanor: " + StartupProblem.describe(e, namespace.getString("file")));
    }

    /** Where results are printed; tests capture it. */
    void printTo(PrintStream stream) {
        this.out = stream;
    }
}
