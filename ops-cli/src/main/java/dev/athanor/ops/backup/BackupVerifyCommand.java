package dev.athanor.ops.backup;

import dev.athanor.backup.BackupVerification;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ops backup verify [ID | --latest]}: restores a backup into a scratch database on the site's server, compares
 * every table's rows with the manifest, records the result beside the backup, and drops the scratch database.
 */
@Command(name = "verify", description = "Prove a backup restorable (restore into a scratch database and compare).")
final class BackupVerifyCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true)
    private Which which = new Which();

    static final class Which {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The backup (default: the newest).")
        private String id;

        @Option(names = "--latest", description = "The newest backup (the default).")
        private boolean latest;
    }

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        try (BackupSession session = BackupSession.open(config)) {
            BackupVerification verification = session.backups().verify(Optional.ofNullable(which.id),
                    session.database(), TerminalProgress.forRun(json.enabled()));
            if (json.enabled()) {
                spec.commandLine().getOut().println(dev.athanor.backup.BackupJson.mapper().writer()
                        .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(verification));
            } else {
                spec.commandLine().getOut().printf("Backup %s verified: %s.%n", verification.id(),
                        verification.detail());
            }
            return 0;
        }
    }
}
