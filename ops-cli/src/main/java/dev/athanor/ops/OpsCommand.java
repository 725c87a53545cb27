package dev.athanor.ops;

import dev.athanor.AthanorVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top of {@code ops}: lists its commands when run alone. */
@Command(name = "ops",
        mixinStandardHelpOptions = true,
        versionProvider = OpsCommand.Version.class,
        description = "Run an Athanor server: database, backups, certificates, health and logs.",
        subcommands = {VersionCommand.class, DbCommand.class, ContentCommand.class, EventsCommand.class,
            BackupCommand.class, SchedulerCommand.class, CertsCommand.class, UsersCommand.class,
            MembersCommand.class, BillingCommand.class, HealthCommand.class, LogsCommand.class, NginxCommand.class,
            StatusCommand.class, DigestCommand.class, DoctorCommand.class},
        usageHelpAutoWidth = true)
final class OpsCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ops " + AthanorVersion.current()};
        }
    }
}
