package dev.athanor.ops.backup;

import dev.athanor.backup.BackupManifest;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.common.Durations;
import dev.athanor.common.Sizes;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ops backup restore ID --to DATABASE_URL}: proves the archive intact, then restores it in one transaction.
 * A database that is not empty is refused unless {@code --force}.
 */
@Command(name = "restore", description = "Restore a backup into a database (an empty one, unless --force).")
final class BackupRestoreCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The backup (ops backup list).")
    private String id;

    @Option(names = "--to", required = true, paramLabel = "DATABASE_URL",
            description = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE (or a JDBC URL); $DATABASE_URL works too")
    private String target;

    @Option(names = "--force", description = "Restore into a database that is not empty: what the backup holds is"
            + " dropped and recreated, in one transaction.")
    private boolean force;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        PostgresTarget to = PostgresTarget.parse(target);
        try (BackupSession session = BackupSession.open(config)) {
            long started = System.nanoTime();
            BackupManifest manifest = session.backups().restore(id, to, force, TerminalProgress.forRun(json.enabled()));
            java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - started);
            if (json.enabled()) {
                spec.commandLine().getOut().printf("{\"id\":\"%s\",\"target\":\"%s\",\"bytes\":%d,\"seconds\":%.1f}%n",
                        manifest.id(), to.describe(), manifest.bytes(), took.toMillis() / 1000.0);
            } else {
                spec.commandLine().getOut().printf("Restored %s (%s, checksum verified) into %s in %s.%n",
                        manifest.id(), Sizes.human(manifest.bytes()), to.describe(), Durations.human(took));
            }
            return 0;
        }
    }
}
