package dev.athanor.ops.scheduler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupJson;
import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.backup.scheduler.SchedulerStatus;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import dev.athanor.platform.db.DatabaseServer;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ops scheduler status}: the scheduler nodes, each job with its next fire and its last run, and what is wrong;
 * exit 1 when anything is.
 */
@Command(name = "status", description = "List the scheduled jobs, their last outcome and next fire time.")
final class SchedulerStatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        AthanorConfiguration configuration = config.load();
        SchedulerFactory settings = configuration.getScheduler();
        try (DatabaseServer server = configuration.getDatabase().start()) {
            SchedulerStatus status = SchedulerStatus.read(server.dataSource("athanor-ops"), settings.getInstanceName(),
                    settings.getMisfireThreshold(), settings.getCheckinInterval(), Instant.now());
            PrintWriter out = spec.commandLine().getOut();
            if (json.enabled()) {
                out.println(BackupJson.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(status)));
            } else {
                print(out, status);
            }
            out.flush();
            return status.healthy() ? 0 : 1;
        }
    }

    private static void print(PrintWriter out, SchedulerStatus status) {
        out.println("Nodes:");
        if (status.nodes().isEmpty()) {
            out.println("  none");
        }
        status.nodes().forEach(node -> out.printf("  %-40s last check-in %s UTC%n", node.instanceId(),
                WHEN.format(node.lastCheckin())));
        out.printf("%-16s %-9s %-20s %-10s %-20s %s%n", "JOB", "STATE", "NEXT FIRE (UTC)", "LAST RUN", "STARTED (UTC)",
                "DETAIL");
        for (SchedulerStatus.Job job : status.jobs()) {
            out.printf("%-16s %-9s %-20s %-10s %-20s %s%n", job.name(), job.state(), time(job.nextFire()),
                    job.lastRun().map(run -> run.outcome()).orElse("never"),
                    time(job.lastRun().map(run -> run.startedAt())),
                    job.lastRun().flatMap(run -> run.detail()).orElse(""));
        }
        status.problems().forEach(problem -> out.println("problem: " + problem));
        if (status.healthy()) {
            out.println("All well.");
        }
    }

    private static ObjectNode toJson(SchedulerStatus status) {
        ObjectNode node = BackupJson.mapper().createObjectNode();
        node.put("healthy", status.healthy());
        ArrayNode nodes = node.putArray("nodes");
        status.nodes().forEach(n -> nodes.addObject().put("instanceId", n.instanceId())
                .put("lastCheckin", n.lastCheckin().toString()));
        ArrayNode jobs = node.putArray("jobs");
        for (SchedulerStatus.Job job : status.jobs()) {
            ObjectNode entry = jobs.addObject();
            entry.put("name", job.name());
            entry.put("state", job.state());
            job.nextFire().ifPresent(time -> entry.put("nextFire", time.toString()));
            job.previousFire().ifPresent(time -> entry.put("previousFire", time.toString()));
            job.lastRun().ifPresent(run -> {
                ObjectNode last = entry.putObject("lastRun");
                last.put("outcome", run.outcome());
                last.put("startedAt", run.startedAt().toString());
                run.finishedAt().ifPresent(time -> last.put("finishedAt", time.toString()));
                run.detail().ifPresent(detail -> last.put("detail", detail));
                last.put("node", run.instanceId());
            });
        }
        node.putPOJO("problems", status.problems());
        return node;
    }

    private static String time(Optional<Instant> instant) {
        return instant.map(WHEN::format).orElse("-");
    }
}
