package dev.athanor.ops.deploy;

import dev.athanor.ops.backup.TerminalProgress;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ops deploy ARCHIVE}: installs a release and hands the site to it with no request dropped (see
 * {@link Handover}). A release whose migrations would break the running one is refused unless
 * {@code --allow-breaking}, which runs it under maintenance; pending migrations are preceded by a backup.
 */
@Command(name = "deploy", description = {"Install a release archive and switch the site to it without downtime.",
        "The new release starts beside the live one, becomes ready, is warmed, then nginx switches to it and the old"
                + " one drains. A release that is not ready in time never takes traffic.",
        "Exit: 0 deployed, 65 refused (a damaged archive, a breaking migration), 69 not ready, 75 another deploy"
                + " runs."})
public final class DeployCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ARCHIVE", description = "athanor-VERSION.tar.gz (from mvn package), or - to read it"
            + " from standard input (ssh server ops deploy - < athanor.tar.gz).")
    private String archive;

    @Option(names = "--dry-run", description = "Check the archive and its migrations and say what would happen;"
            + " change nothing.")
    private boolean dryRun;

    @Option(names = "--allow-breaking", description = "Run migrations that drop, rename or tighten what the live"
            + " release uses: the old release is stopped first and the site shows the maintenance page meanwhile.")
    private boolean allowBreaking;

    private Path dryRunDirectory;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DeployContext context = new DeployContext(config, out, json.enabled());
        long start = System.nanoTime();
        try (DeployLock lock = DeployLock.acquire(context.store.directory())) {
            Release release = install(context);
            Optional<LiveState> live = dryRun ? LiveState.read(context.store.directory())
                    : context.handover.recover();
            if (live.isPresent() && live.get().release().equals(release.name())) {
                out.println(release.name() + " is live already; nothing to do.");
                return 0;
            }
            SchemaGate.Plan plan = SchemaGate.forDeploy(context, release);
            plan.describe().forEach(context.step);
            if (!plan.breaking().isEmpty() && !allowBreaking) {
                String why = "refused: its migrations would break the live release:\n  "
                        + String.join("\n  ", plan.breaking()) + "\nMake the change in two releases (expand,"
                        + " then contract: docs/releases.md), or deploy with --allow-breaking to run it under"
                        + " maintenance.";
                if (!dryRun) {
                    context.store.markFailed(release, "refused: a breaking migration");
                }
                throw new DeployException(release.name() + " " + why, 65);
            }
            if (dryRun) {
                out.println("Dry run: " + release.name() + " would start in slot " + live.map(LiveState::otherSlot)
                        .orElse("a") + (plan.pending().isEmpty() ? "" : ", after a pre-deploy backup")
                        + (plan.breaking().isEmpty() ? "" : ", under maintenance") + "; nothing was changed.");
                return 0;
            }
            return deploy(context, release, live, plan, start);
        } catch (DeployException e) {
            if (!dryRun && Set.of(69, 70, 71, 74).contains(e.exitCode())) { // not a refusal or a usage error
                context.alert("Deploy failed: " + e.getMessage().lines().findFirst().orElse(""), e.getMessage());
            }
            throw e;
        } finally {
            if (dryRun && dryRunDirectory != null) {
                ReleaseStore.delete(dryRunDirectory);
            }
        }
    }

    private int deploy(DeployContext context, Release release, Optional<LiveState> live, SchemaGate.Plan plan,
            long start) throws Exception {
        if (!plan.pending().isEmpty()) {
            PreDeployBackup.run(context, json.enabled());
        }
        Companions companions = Companions.of(context);
        companions.prepare(release);
        boolean maintenance = !plan.breaking().isEmpty();
        if (maintenance) {
            context.step.accept("Maintenance on: the schema change breaks " + live.map(LiveState::release)
                    .orElse("the live release"));
            context.traffic.maintenanceOn("The site is being upgraded and will be back in a minute or two.");
            if (live.isPresent()) {
                context.handover.stopLive(live.get());
            }
        }
        Handover.Timings timings;
        try {
            timings = context.handover.run(release, live, context::topPaths);
        } catch (DeployException failed) {
            if (!maintenance) {
                throw failed;
            }
            throw new DeployException(failed.getMessage() + "\nThe maintenance page stays up: the old release was"
                    + " stopped before the schema changed. Deploy a fixed release, or restore the pre-deploy backup"
                    + " (ops backup list) and ops rollback, then ops maintenance off.", failed.exitCode(), failed);
        }
        if (maintenance) {
            context.traffic.maintenanceOff();
            context.step.accept("Maintenance off");
        }
        companions.restart();
        Set<String> kept = new java.util.HashSet<>(Set.of(release.name()));
        live.ifPresent(replaced -> kept.add(replaced.release()));
        List<String> removed = context.store.prune(context.settings.getKeep(), kept);
        context.resolveAlert("Deploy of " + release.name() + " succeeded");
        Summary.print(spec.commandLine().getOut(), json.enabled(), "Deployed", release, timings, removed,
                System.nanoTime() - start);
        return 0;
    }

    private Release install(DeployContext context) throws DeployException, IOException {
        boolean stdin = archive.equals("-");
        Path file = Path.of(archive);
        if (!stdin && !Files.isRegularFile(file)) {
            throw new DeployException("no archive at " + file.toAbsolutePath(), 66);
        }
        try (InputStream in = stdin ? System.in : Files.newInputStream(file)) {
            long size = stdin ? -1 : Files.size(file);
            if (dryRun) {
                dryRunDirectory = Files.createTempDirectory("athanor-dry-run-");
                ReleaseArchive.Unpacked unpacked = ReleaseArchive.unpack(in, dryRunDirectory,
                        TerminalProgress.forRun(json.enabled()));
                context.step.accept("The archive holds " + unpacked.name() + " (" + unpacked.sums().size()
                        + " files)");
                return new Release(unpacked.name(), dryRunDirectory);
            }
            Release release = context.store.install(in, size, TerminalProgress.forRun(json.enabled()));
            context.step.accept("Installed " + release.name() + " in " + release.directory());
            return release;
        }
    }
}
