package dev.athanor.ops.pitr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.backup.BackupJson;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.RecoveryWindow;
import dev.athanor.backup.pitr.RepositoryInfo;
import dev.athanor.common.Durations;
import dev.athanor.common.Sizes;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ops pitr status}: the recovery window, the last archived segment, the backups. */
@Command(name = "status", description = {"Show point-in-time recovery: the window a restore can reach (oldest and"
        + " newest moment), the last archived segment and its age, a failing push, the base backups and the last"
        + " restore drill.",
        "Exit: 0 set up and archiving; 1 a push is failing or nothing is archived; 78 not set up."})
public final class PitrStatusCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PitrSite site = PitrSite.of(config.load());
        PrintWriter out = spec.commandLine().getOut();
        if (!site.isSetUp()) {
            out.println(json.enabled() ? "{\"setUp\":false}" : "Point-in-time recovery is not set up: ops pitr setup");
            return 78;
        }
        PgBackRest pgBackRest = site.pgBackRest();
        RepositoryInfo info = pgBackRest.info();
        Optional<Archiver> archiver = Archiver.of(pgBackRest.cluster());
        Optional<RecoveryWindow> window = info.window(archiver.flatMap(Archiver::lastArchived));
        Instant now = Instant.now();
        boolean failing = archiver.map(Archiver::failing).orElse(false);
        Optional<DrillResult> drill = DrillResult.last(site.configuration().getStorage().getDataDirectory());
        if (json.enabled()) {
            ObjectNode node = new ObjectMapper().createObjectNode().put("setUp", true)
                    .put("cluster", pgBackRest.cluster().description()).put("failing", failing);
            window.ifPresent(w -> node.putObject("window").put("oldest", w.oldest().toString())
                    .put("newest", w.newest().toString()));
            archiver.flatMap(Archiver::lastSegment).ifPresent(segment -> node.put("lastSegment", segment));
            archiver.flatMap(Archiver::lastArchived).ifPresent(at -> node.put("lastArchivedAt", at.toString())
                    .put("lastArchivedAgeSeconds", Duration.between(at, now).toSeconds()));
            var backups = node.putArray("backups");
            info.backups().forEach(b -> backups.addObject().put("label", b.label()).put("type", b.type())
                    .put("stoppedAt", b.stopped().toString()).put("repositoryBytes", b.repositoryBytes()));
            drill.ifPresent(result -> node.set("drill", BackupJson.mapper().valueToTree(result)));
            out.println(node);
        } else {
            out.println("Cluster:   " + pgBackRest.cluster().description());
            out.println("Window:    " + window.map(w -> w.oldest() + " to " + w.newest()).orElse("none yet (no"
                    + " complete backup)"));
            out.println("Archived:  " + archiver.map(a -> a.lastSegment().map(segment -> segment + ", "
                    + Durations.human(Duration.between(a.lastArchived().orElseThrow(), now)) + " ago")
                    .orElse("nothing yet")).orElse("unknown (PostgreSQL does not answer)"));
            if (failing) {
                out.println("FAILING:   the last push of " + archiver.get().failedSegment().orElse("a segment")
                        + " failed at " + archiver.get().lastFailed().orElseThrow()
                        + " (PostgreSQL retries; see the pitr log directory)");
            }
            List<RepositoryInfo.StoredBackup> backups = info.backups();
            out.println("Backups:   " + backups.size());
            for (RepositoryInfo.StoredBackup backup : backups.subList(Math.max(0, backups.size() - 5),
                    backups.size())) {
                out.printf("  %-26s %-5s %s  %s stored%n", backup.label(), backup.type(), backup.stopped(),
                        Sizes.human(backup.repositoryBytes()));
            }
            out.println("Drill:     " + drill.map(DrillResult::describe).orElse("none yet (ops pitr drill; the"
                    + " scheduler's pitr-drill runs weekly)"));
        }
        return failing || archiver.flatMap(Archiver::lastSegment).isEmpty() && archiver.isPresent() ? 1 : 0;
    }
}
