package dev.athanor.ops.content;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.content.ImportReport;
import dev.athanor.ops.SiteParts;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ops content import DIR}: the creator's content folder into the site, all or nothing. */
@Command(name = "content", description = "Import the site's content.", subcommands = ContentCommand.Import.class)
public final class ContentCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", description = {"Import a content folder: courses, lessons and articles are created,"
            + " changed or unpublished to match it, in one transaction.",
        "A bad file stops the import with its name and line, and changes nothing."})
    static final class Import implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "The content folder (courses/ and articles/ inside).")
        private Path folder;

        @Option(names = "--dry-run", description = "Show what would change, and change nothing.")
        private boolean dryRun;

        @Mixin
        private JsonOption json;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (SiteParts site = SiteParts.open(config)) {
                ImportReport report = site.content().importFolder(folder, dryRun);
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("applied", report.applied());
                    result.put("changes", report.changes());
                    result.put("unchanged", report.unchanged());
                    out.println(new ObjectMapper().writeValueAsString(result));
                } else {
                    report.changes().forEach(change -> out.println(change));
                    out.println(report.summary());
                }
                return 0;
            }
        }
    }
}
