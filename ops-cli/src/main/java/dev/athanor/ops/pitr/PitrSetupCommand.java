package dev.athanor.ops.pitr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ops pitr setup}: turns point-in-time recovery on; a second run changes nothing. */
@Command(name = "setup", description = {"Turn point-in-time recovery on: write pgBackRest's configuration (with a"
        + " generated repository passphrase, mode 0600), set archive_mode, archive_command and archive_timeout,"
        + " restart PostgreSQL once (asking first), create the stanza, check it and take the first full backup."
        + " Running it again changes nothing that is already so.",
        "A managed database (on another machine) keeps its own point-in-time recovery: setup says so and does nothing.",
        "Exit: 0 done; 69 pgBackRest or PostgreSQL failed; 78 a restart is needed and was not allowed, or a"
                + " setting is unusable."})
public final class PitrSetupCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Option(names = "--yes", description = "Restart PostgreSQL without asking, when archiving needs it.")
    private boolean yes;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PitrSite site = PitrSite.of(config.load());
        if (site.remoteHost().isPresent()) {
            String message = "The database is on " + site.remoteHost().get() + ": a managed PostgreSQL keeps its own"
                    + " point-in-time recovery (DigitalOcean's: 7 days, restored from its control panel)."
                    + " Nothing was set up.";
            print(out, message, new PitrSetup.Outcome(java.util.List.of(), false, ""), "managed");
            return 0;
        }
        PitrSetup.Outcome outcome = new PitrSetup(site, line -> {
            if (!json.enabled()) {
                out.println(line);
                out.flush();
            }
        }).run(this::restartAllowed);
        String message = outcome.changes().isEmpty()
                ? "Point-in-time recovery was already set up; nothing changed (newest backup " + outcome.backup() + ")."
                : "Point-in-time recovery is on:\n  " + String.join("\n  ", outcome.changes());
        print(out, message, outcome, outcome.changes().isEmpty() ? "unchanged" : "changed");
        return 0;
    }

    private void print(PrintWriter out, String message, PitrSetup.Outcome outcome, String state) {
        if (json.enabled()) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode node = mapper.createObjectNode().put("state", state).put("restarted", outcome.restarted())
                    .put("backup", outcome.backup());
            outcome.changes().forEach(node.putArray("changes")::add);
            out.println(node);
        } else {
            out.println(message);
        }
    }

    private boolean restartAllowed() {
        return yes || Prompt.confirm(spec.commandLine().getOut(), "PostgreSQL must restart once (a"
                + " few seconds; the site reconnects by itself). Restart now?");
    }
}
