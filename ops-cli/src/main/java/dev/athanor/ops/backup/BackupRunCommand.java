package dev.athanor.ops.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.backup.BackupJson;
import dev.athanor.backup.BackupKind;
import dev.athanor.backup.BackupManifest;
import dev.athanor.backup.BackupResult;
import dev.athanor.common.Durations;
import dev.athanor.common.Sizes;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops backup run}: dumps the site's database into the backup storage. A progress bar on a terminal; one
 * summary line without one; {@code --json} for scripts. A failure exits non-zero, leaves no backup, and alerts. What
 * earlier runs that were stopped (killed, the machine down) left is removed and recorded as failed on the way.
 */
@Command(name = "run", description = "Take a backup now.")
final class BackupRunCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--kind", defaultValue = "manual", paramLabel = "KIND",
            description = "daily, weekly, manual or pre-deploy (default: ${DEFAULT-VALUE}); retention keeps only the"
                    + " newest pre-deploy backup, apart from the others")
    private String kind;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        BackupKind backupKind = BackupRunCommand.parseKind(kind);
        try (BackupSession session = BackupSession.open(config)) {
            BackupResult result = session.backups().run(backupKind, session.database(),
                    TerminalProgress.forRun(json.enabled()), () -> false);
            print(spec.commandLine().getOut(), result, session.backups().describeStorage(), json.enabled());
            return 0;
        }
    }

    static BackupKind parseKind(String kind) {
        try {
            return BackupKind.of(kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kind must be daily, weekly, manual or pre-deploy, not \"" + kind + "\"");
        }
    }

    static void print(PrintWriter out, BackupResult result, String storage, boolean json) {
        BackupManifest manifest = result.manifest();
        if (json) {
            ObjectNode node = BackupJson.mapper().createObjectNode();
            node.put("id", manifest.id());
            node.put("kind", manifest.kind().label());
            node.put("database", manifest.database());
            node.put("storage", storage);
            node.put("archive", manifest.archive());
            node.put("bytes", manifest.bytes());
            node.put("sha256", manifest.sha256());
            node.put("encrypted", manifest.encrypted());
            node.put("seconds", manifest.duration().toMillis() / 1000.0);
            node.put("tables", manifest.tables().size());
            node.put("muchSmallerThanPrevious", result.muchSmaller());
            result.previousBytes().ifPresent(bytes -> node.put("previousBytes", bytes));
            node.putPOJO("warnings", manifest.warnings());
            node.putPOJO("unfinished", result.unfinished());
            out.println(node.toString());
        } else {
            out.printf("Backup %s: %s in %s, %d tables, sha256 %s%s, stored in %s%n", manifest.id(),
                    Sizes.human(manifest.bytes()), Durations.human(manifest.duration()),
                    manifest.tables().size(), manifest.sha256().substring(0, 16),
                    manifest.encrypted() ? ", encrypted" : "", storage);
            manifest.warnings().forEach(warning -> out.println("  warning: " + warning));
            result.unfinished().forEach(failure -> out.println("  earlier backup " + failure.id() + " "
                    + failure.reason() + "; recorded as failed"));
        }
        out.flush();
    }
}
