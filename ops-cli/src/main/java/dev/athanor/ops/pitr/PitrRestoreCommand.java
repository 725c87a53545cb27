package dev.athanor.ops.pitr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.PitrException;
import dev.athanor.backup.pitr.RecoveryTarget;
import dev.athanor.backup.pitr.RecoveryWindow;
import dev.athanor.backup.pitr.RepositoryInfo;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ops pitr restore}: the database as it was at a moment, or at the end of the archived log. */
@Command(name = "restore", description = {"Restore the database as it was at a moment of the recovery window (every"
        + " transaction committed up to it, none after), or as far as the archived log reaches (--latest): the"
        + " newest base backup before it is restored, the log replayed, the cluster promoted and stopped, ready to"
        + " start. Into a new directory (--data-dir, the site untouched) or in place of the embedded cluster"
        + " (--into-embedded; the one before is kept beside it).",
        "Exit: 0 restored; 65 the moment is outside the window, or the directory is not empty; 69 pgBackRest or"
                + " recovery failed (the embedded cluster before is put back); 78 not set up."})
public final class PitrRestoreCommand implements Callable<Integer> {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd[ ]['T']HH:mm[:ss][.SSSSSS][.SSS]");

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Destination destination;

    @Option(names = "--yes", description = "Replace the embedded cluster without asking.")
    private boolean yes;

    @Spec
    private CommandSpec spec;

    static final class Target {
        @Option(names = "--to-time", paramLabel = "TIME", required = true, description = "The moment, as"
                + " \"2026-12-06 14:03:00\" (UTC) or with an offset (\"2026-12-06T15:03:00+01:00\").")
        private String time;

        @Option(names = "--latest", required = true, description = "As far as the archived log reaches.")
        private boolean latest;
    }

    static final class Destination {
        @Option(names = "--data-dir", paramLabel = "DIR", required = true, description = "A new or empty directory.")
        private Path directory;

        @Option(names = "--into-embedded", required = true, description = "In place of the embedded cluster.")
        private boolean embedded;
    }

    @Override
    public Integer call() throws Exception {
        PitrSite site = PitrSite.of(config.load());
        PrintWriter out = spec.commandLine().getOut();
        RecoveryTarget recoveryTarget = target.latest ? RecoveryTarget.latest() : RecoveryTarget.at(parse(target.time));
        if (destination.embedded && !site.isEmbedded()) {
            throw new PitrException("--into-embedded: the site does not use the embedded database (database.url);"
                    + " restore with --data-dir and point database.url at it", PitrException.REFUSED);
        }
        PgBackRest pgBackRest = site.pgBackRest();
        SiteRestore restore = new SiteRestore(site, line -> {
            if (!json.enabled()) {
                out.println(line);
                out.flush();
            }
        });
        RepositoryInfo info = pgBackRest.info();
        Optional<Archiver> archiver = Archiver.of(pgBackRest.cluster());
        Optional<RecoveryWindow> window = info.window(archiver.flatMap(Archiver::lastArchived));
        restore.checkTarget(recoveryTarget, info, window, archiver.isPresent());
        if (destination.embedded && !yes && !Prompt.confirm(out, "This stops the embedded"
                + " PostgreSQL and replaces the site's database with the one of " + recoveryTarget + ". Go on?")) {
            throw new PitrException("nothing was restored (answer y, or pass --yes)", PitrException.REFUSED);
        }
        SiteRestore.Restored restored = destination.embedded ? restore.intoEmbedded(pgBackRest, recoveryTarget)
                : restore.intoDirectory(pgBackRest, recoveryTarget, destination.directory);
        report(out, pgBackRest.cluster(), recoveryTarget, restored);
        return 0;
    }

    private void report(PrintWriter out, Cluster cluster, RecoveryTarget recoveryTarget,
            SiteRestore.Restored restored) {
        if (json.enabled()) {
            ObjectNode node = new ObjectMapper().createObjectNode().put("target", recoveryTarget.time()
                    .map(Instant::toString).orElse("latest")).put("dataDirectory", restored.dataDirectory().toString());
            restored.lastTransaction().ifPresent(at -> node.put("lastTransaction", at.toString()));
            restored.previous().ifPresent(previous -> node.put("previous", previous.toString()));
            out.println(node);
            return;
        }
        out.println("Restored to " + recoveryTarget + restored.lastTransaction().map(at -> " (last transaction"
                + " replayed: " + at + ")").orElse("") + ".");
        if (destination.embedded) {
            out.println("The site's embedded database is now the restored one; start the site as usual."
                    + restored.previous().map(previous -> " The cluster before the restore is kept in " + previous
                            + ": delete it when satisfied.").orElse(""));
            return;
        }
        String runAs = String.join(" ", cluster.runAs());
        out.println("It is ready to start, with the same users and passwords as the site's database:");
        out.println("  " + (runAs.isEmpty() ? "" : runAs + " ") + cluster.serverBin().resolve("pg_ctl") + " -D "
                + restored.dataDirectory() + " -l " + restored.dataDirectory().resolve("postgres.log")
                + " -o \"-p 5433\" start");
        out.println("Then point the site at it: DATABASE_URL=jdbc:postgresql://127.0.0.1:5433/athanor (and restart"
                + " the site), or dump what you need from it with pg_dump -p 5433.");
    }

    static Instant parse(String text) throws PitrException {
        String trimmed = text.strip().replaceFirst("(?i)\\s*UTC$", "");
        try {
            return OffsetDateTime.parse(trimmed.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException offsetMissing) {
            try {
                return LocalDateTime.parse(trimmed, LOCAL).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new PitrException("--to-time \"" + text + "\" is not a moment: write it as \"2026-12-06"
                        + " 14:03:00\" (UTC) or 2026-12-06T15:03:00+01:00", PitrException.REFUSED, e);
            }
        }
    }
}
