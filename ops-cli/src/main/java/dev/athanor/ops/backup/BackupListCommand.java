package dev.athanor.ops.backup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.backup.BackupCatalog;
import dev.athanor.backup.BackupJson;
import dev.athanor.backup.BackupManifest;
import dev.athanor.backup.BackupVerification;
import dev.athanor.common.Durations;
import dev.athanor.common.Sizes;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ops backup list}: every complete backup, newest first. */
@Command(name = "list", description = "List the backups, newest first.")
final class BackupListCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        try (BackupSession session = BackupSession.open(config)) {
            BackupCatalog catalog = session.backups().catalog();
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            if (json.enabled()) {
                ArrayNode array = BackupJson.mapper().createArrayNode();
                for (BackupCatalog.Entry entry : catalog.backups()) {
                    BackupManifest manifest = entry.manifest();
                    ObjectNode node = array.addObject();
                    node.put("id", manifest.id());
                    node.put("kind", manifest.kind().label());
                    node.put("startedAt", manifest.startedAt().toString());
                    node.put("ageSeconds", Duration.between(manifest.finishedAt(), now).toSeconds());
                    node.put("bytes", manifest.bytes());
                    node.put("encrypted", manifest.encrypted());
                    node.put("verified", entry.verification().map(v -> v.passed() ? "passed" : "failed")
                            .orElse("never"));
                    entry.verification().ifPresent(v -> node.put("verifiedAt", v.verifiedAt().toString()));
                    node.put("database", manifest.database());
                    node.put("sha256", manifest.sha256());
                }
                out.println(array.toString());
            } else if (catalog.backups().isEmpty()) {
                out.println("No backups in " + session.backups().describeStorage() + ".");
            } else {
                out.printf("%-28s %-10s %-8s %10s  %-18s %s%n", "ID", "KIND", "AGE", "SIZE", "VERIFIED", "ENCRYPTED");
                for (BackupCatalog.Entry entry : catalog.backups()) {
                    BackupManifest manifest = entry.manifest();
                    out.printf("%-28s %-10s %-8s %10s  %-18s %s%n", manifest.id(), manifest.kind().label(),
                            Durations.human(Duration.between(manifest.finishedAt(), now)),
                            Sizes.human(manifest.bytes()), verified(entry, now),
                            manifest.encrypted() ? "yes" : "no");
                }
            }
            out.flush();
            return 0;
        }
    }

    private static String verified(BackupCatalog.Entry entry, Instant now) {
        if (entry.verification().isEmpty()) {
            return "no";
        }
        BackupVerification verification = entry.verification().get();
        return (verification.passed() ? "yes, " : "FAILED, ")
                + Durations.human(Duration.between(verification.verifiedAt(), now)) + " ago";
    }
}
