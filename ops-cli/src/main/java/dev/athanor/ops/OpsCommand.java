package dev.athanor.ops;

import dev.athanor.AthanorVersion;
import dev.athanor.ops.accounts.BillingCommand;
import dev.athanor.ops.accounts.MembersCommand;
import dev.athanor.ops.accounts.UsersCommand;
import dev.athanor.ops.backup.BackupCommand;
import dev.athanor.ops.certs.CertsCommand;
import dev.athanor.ops.content.ContentCommand;
import dev.athanor.ops.deploy.DeployCommand;
import dev.athanor.ops.deploy.ReleasesCommand;
import dev.athanor.ops.deploy.RollbackCommand;
import dev.athanor.ops.monitoring.DigestCommand;
import dev.athanor.ops.monitoring.DoctorCommand;
import dev.athanor.ops.monitoring.EventsCommand;
import dev.athanor.ops.monitoring.HealthCommand;
import dev.athanor.ops.monitoring.LogsCommand;
import dev.athanor.ops.monitoring.StatusCommand;
import dev.athanor.ops.nginx.MaintenanceCommand;
import dev.athanor.ops.nginx.NginxCommand;
import dev.athanor.ops.scheduler.SchedulerCommand;
import dev.athanor.ops.shared.ConfigOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

/**
 * The top of {@code ops}: lists its commands when run alone. Its attributes are inherited ({@link ScopeType#INHERIT}) by
 * every command and subcommand, so each takes {@code -h}/{@code --help} (its usage, even when it has required
 * parameters) and {@code -V}/{@code --version} (the release, as {@code ops version} prints it) without a line of
 * its own; a command keeps its own description and whatever else its {@code @Command} sets.
 */
@Command(name = "ops",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = OpsCommand.Version.class,
        description = "Run an Athanor server: database, backups, certificates, health and logs.",
        usageHelpAutoWidth = true)
final class OpsCommand implements Runnable {

    /** Its commands, in the order help lists them; {@link Ops} adds them (all, or the one a command line names). */
    static final List<Class<?>> COMMANDS = List.of(VersionCommand.class, DbCommand.class, ContentCommand.class,
            EventsCommand.class, BackupCommand.class, SchedulerCommand.class, CertsCommand.class, UsersCommand.class,
            MembersCommand.class, BillingCommand.class, HealthCommand.class, LogsCommand.class, NginxCommand.class,
            StatusCommand.class, DigestCommand.class, DoctorCommand.class, DeployCommand.class, RollbackCommand.class,
            ReleasesCommand.class, MaintenanceCommand.class, dev.athanor.ops.pitr.PitrCommand.class,
            CompletionCommand.class);

    /** {@code --config FILE} before the command, for every command below that reads it ({@link ConfigOption}). */
    @Mixin
    private ConfigOption config;

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
