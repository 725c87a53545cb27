package dev.athanor.ops.certs;

import dev.athanor.ops.shared.ConfigOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops certs renew [--force] [--dry-run]}: renews each certificate that is due, and nothing else; safe to run
 * as often as you like (the scheduler runs it twice a day).
 */
@Command(name = "renew", description = "Renew every certificate that is due (inside the CA's window, or a third of"
        + " its lifetime left).")
final class CertsRenewCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--force", description = "Renew now whether due or not (still waits for a CA's Retry-After).")
    private boolean force;

    @Option(names = "--dry-run", description = "Say what would be renewed and check the directories; order and"
            + " record nothing.")
    private boolean dryRun;

    @Override
    public Integer call() throws Exception {
        CertsCommand.certificates(config, spec).renew(force, dryRun);
        return 0;
    }
}
