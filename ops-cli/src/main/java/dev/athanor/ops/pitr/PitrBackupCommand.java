package dev.athanor.ops.pitr;

import dev.athanor.backup.pitr.BackupType;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.PitrException;
import dev.athanor.backup.pitr.RepositoryInfo;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ops pitr backup [--full]}: a base backup now, as the scheduler's pitr-full and pitr-diff take them. */
@Command(name = "backup", description = {"Take a pgBackRest base backup now: differential (the files changed since"
        + " the last full one), or full with --full; then expire what backup.pitr.window no longer needs.",
        "Exit: 0 done; 69 pgBackRest failed; 78 not set up."})
public final class PitrBackupCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Option(names = "--full", description = "A full backup instead of a differential one.")
    private boolean full;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PitrSite site = PitrSite.of(config.load());
        PrintWriter out = spec.commandLine().getOut();
        RepositoryInfo.StoredBackup newest;
        try (RunningCluster running = RunningCluster.hold(site)) {
            PgBackRest pgBackRest = site.pgBackRest();
            site.backup(full ? BackupType.FULL : BackupType.DIFF);
            newest = pgBackRest.info().newest().orElseThrow(() -> new PitrException(
                    "pgbackrest reported success but the repository lists no backup", PitrException.FAILED));
        }
        if (json.enabled()) {
            out.println(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("label", newest.label())
                    .put("type", newest.type()).put("databaseBytes", newest.databaseBytes())
                    .put("repositoryBytes", newest.repositoryBytes())
                    .put("seconds", newest.stopped().getEpochSecond() - newest.started().getEpochSecond()));
        } else {
            out.printf("Backup %s (%s): %s of database, %s stored, %d s%n", newest.label(), newest.type(),
                    dev.athanor.common.Sizes.human(newest.databaseBytes()),
                    dev.athanor.common.Sizes.human(newest.repositoryBytes()),
                    newest.stopped().getEpochSecond() - newest.started().getEpochSecond());
        }
        return 0;
    }
}
