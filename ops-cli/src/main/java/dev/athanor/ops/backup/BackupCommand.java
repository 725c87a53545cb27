package dev.athanor.ops.backup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ops backup ...}: take, list, restore, verify and prune backups. */
@Command(name = "backup", description = "Take, list, restore, verify and prune backups.",
        subcommands = {BackupRunCommand.class, BackupListCommand.class, BackupRestoreCommand.class,
                BackupVerifyCommand.class, BackupPruneCommand.class, BackupKeygenCommand.class})
public final class BackupCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
