package dev.athanor.ops.scheduler;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ops scheduler run|status}: the scheduler that runs backups, their verification and pruning, certificate
 * renewal, billing reconciliation and the weekly digest on time. Alone it prints its usage: the daemon starts only
 * when asked by name ({@code ops scheduler run}), as its systemd unit does.
 */
@Command(name = "scheduler", description = "Run the scheduler (backups, verification, pruning, certificate renewal,"
        + " billing reconciliation, the weekly digest), or show its jobs.",
        subcommands = {SchedulerRunCommand.class, SchedulerStatusCommand.class})
public final class SchedulerCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
