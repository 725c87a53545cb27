package dev.athanor.ops.pitr;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ops pitr}: point-in-time recovery with pgBackRest: set it up, see its window, back up, restore, drill. */
@Command(name = "pitr", description = {"Point-in-time recovery: the write-ahead log archived continuously by"
        + " pgBackRest into the backup storage (under backup.pitr.prefix), so that the database can be restored to"
        + " any second of the window (backup.pitr.window, 14 days by default). See docs/pitr.md."},
        subcommands = {PitrSetupCommand.class, PitrStatusCommand.class, PitrBackupCommand.class,
                PitrRestoreCommand.class, PitrDrillCommand.class})
public final class PitrCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
