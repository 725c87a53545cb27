package dev.athanor.ops.backup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.backup.BackupJson;
import dev.athanor.backup.PruneResult;
import dev.athanor.backup.retention.RetentionDecision;
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
 * {@code ops backup prune [--dry-run]}: removes what stopped backups left (recording each as failed), then applies
 * retention and says what it keeps and deletes, and why.
 */
@Command(name = "prune", description = "Delete the backups retention does not keep (see backup.retention).")
final class BackupPruneCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "Say what would be deleted; delete nothing.")
    private boolean dryRun;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        try (BackupSession session = BackupSession.open(config)) {
            PruneResult result = session.backups().prune(dryRun);
            print(spec.commandLine().getOut(), result, json.enabled());
            return result.plan().refusal().isPresent() ? 1 : 0;
        }
    }

    static void print(PrintWriter out, PruneResult result, boolean json) {
        if (json) {
            ObjectNode node = BackupJson.mapper().createObjectNode();
            node.put("dryRun", result.dryRun());
            result.plan().refusal().ifPresent(refusal -> node.put("refused", refusal));
            ArrayNode decisions = node.putArray("backups");
            for (RetentionDecision decision : result.plan().decisions()) {
                ObjectNode entry = decisions.addObject();
                entry.put("id", decision.backup().id());
                entry.put("keep", decision.keep() || result.plan().refusal().isPresent());
                entry.putPOJO("reasons", decision.reasons());
            }
            node.putPOJO("deleted", result.deleted());
            node.putPOJO("unfinished", result.unfinished());
            out.println(node.toString());
            out.flush();
            return;
        }
        result.unfinished().forEach(failure -> out.printf("%-12s %s  (%s; %s)%n", "unfinished", failure.id(),
                failure.reason(), result.dryRun() ? "would be removed and recorded as failed"
                        : "recorded as failed"));
        result.plan().refusal().ifPresent(refusal -> out.println("Nothing deleted: " + refusal + "."));
        String deleting = result.dryRun() ? "would delete" : "delete";
        for (RetentionDecision decision : result.plan().decisions()) {
            boolean keep = decision.keep() || result.plan().refusal().isPresent();
            out.printf("%-12s %s  (%s)%n", keep ? "keep" : deleting, decision.backup().id(),
                    String.join("; ", decision.reasons()));
        }
        if (result.plan().refusal().isEmpty()) {
            out.printf("%d kept, %d %s.%n", result.plan().kept().size(), result.plan().deletions().size(),
                    result.dryRun() ? "would be deleted (dry run)" : "deleted");
        }
        out.flush();
    }
}
