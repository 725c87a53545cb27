package dev.athanor.ops.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ops releases}: the kept releases, newest first, with their state and the schema each expects. */
@Command(name = "releases", description = {"List the installed releases: which is live, which can be rolled back"
        + " to, which failed, and the schema version each brings.", "Exit: 0."})
public final class ReleasesCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var settings = config.load().getDeploy();
        ReleaseStore store = new ReleaseStore(settings.getDirectory());
        Optional<LiveState> live = LiveState.read(store.directory());
        Optional<String> database = SchemaGate.databaseVersion(config);
        PrintWriter out = spec.commandLine().getOut();
        ArrayNode rows = ReleaseStore.JSON.createArrayNode();
        if (!json.enabled()) {
            out.printf("%-32s %-9s %-17s %-7s %s%n", "RELEASE", "STATE", "INSTALLED (UTC)", "SCHEMA", "NOTE");
        }
        for (ReleaseStore.Entry entry : store.list()) {
            String name = entry.release().name();
            boolean isLive = live.isPresent() && live.get().release().equals(name);
            String state = isLive ? "live" : entry.failure().isPresent() ? "failed" : "kept";
            String schema = SchemaGate.releaseVersion(entry.release());
            String note = isLive ? "slot " + live.get().slot() + " since " + WHEN.format(live.get().since())
                    : entry.failure().orElse("ops rollback " + name);
            if (json.enabled()) {
                ObjectNode row = rows.addObject();
                row.put("release", name).put("version", entry.installed().version()).put("state", state)
                        .put("installedAt", entry.installed().installedAt().toString()).put("schema", schema);
                entry.failure().ifPresent(failure -> row.put("failure", failure));
                if (isLive) {
                    row.put("slot", live.get().slot());
                }
            } else {
                out.printf("%-32s %-9s %-17s %-7s %s%n", name, state, WHEN.format(entry.installed().installedAt()),
                        schema, note);
            }
        }
        if (json.enabled()) {
            ObjectNode result = ReleaseStore.JSON.createObjectNode();
            result.set("releases", rows);
            result.put("databaseSchema", database.orElse(null));
            out.println(result);
        } else {
            out.println(store.list().isEmpty() ? "No release installed under " + store.directory()
                    + "; ops deploy ARCHIVE installs one." : "The database's schema: " + database.orElse(
                    "unknown (the database cannot be reached)") + ".");
        }
        out.flush();
        return 0;
    }
}
