package dev.athanor.ops.pitr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.backup.BackupJson;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.backup.pitr.PitrException;
import dev.athanor.ops.backup.BackupSession;
import dev.athanor.ops.monitoring.DurationConverter;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ops pitr drill}: the weekly restore drill, now. */
@Command(name = "drill", description = {"Run the restore drill now: restore into a scratch cluster at the newest"
        + " row-count mark more than ten minutes old, count its tables and compare with the mark, then stop and"
        + " delete the scratch cluster. The result is kept for ops pitr status, ops status and the digest; a failed"
        + " drill alerts.", "Exit: 0 passed (or no mark to restore to yet); 70 the counts differ or the restore"
            + " failed; 78 not set up."})
public final class PitrDrillCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    @Option(names = "--mark-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Restore to the newest mark at least this old (default: ${DEFAULT-VALUE}, so that its"
                    + " moment is surely archived).", defaultValue = "10m")
    private Duration markAge;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json.enabled() ? spec.commandLine().getErr() : out;
        try (BackupSession session = BackupSession.open(config)) {
            Optional<DrillResult> result = drill(session, markAge, line -> {
                progress.println(line);
                progress.flush();
            }).run();
            if (json.enabled()) {
                ObjectNode node = BackupJson.mapper().createObjectNode();
                result.ifPresentOrElse(drill -> node.put("passed", drill.passed()).set("drill", BackupJson.mapper()
                        .valueToTree(drill)), () -> node.putNull("drill"));
                out.println(node.toString());
                out.flush();
            }
            return result.map(drill -> drill.passed() ? 0 : PitrException.MISMATCH)
                    .orElse(0);
        }
    }

    /** The drill on {@code session}'s site, as the command and the scheduler's {@code pitr-drill} run it. */
    public static RestoreDrill drill(BackupSession session, Duration markAge, Consumer<String> say)
            throws Exception {
        return new RestoreDrill(PitrSite.of(session.configuration()), session.server().dataSource(
                "athanor-pitr-drill"), session.database().database(), session.alertSink(), markAge, say);
    }
}
