package dev.athanor.ops.deploy;

import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ops rollback [RELEASE]}: back to a kept release the way a deploy goes forward, with no request dropped. The
 * schema stays as it is: when it moved forward only by adding (expand, then contract), the older release runs on it;
 * when a migration since then took away what that release needs, the rollback is refused with the pre-deploy backup
 * to restore.
 */
@Command(name = "rollback", description = {"Switch the site back to a kept release (default: the one the live"
        + " one replaced) without downtime.", "The schema is not rolled back: a release that cannot run on it is refused,"
        + " naming the pre-deploy backup to restore.",
        "Exit: 0 done, 65 refused (the schema, a damaged release), 66 no such release, 69 not ready."})
public final class RollbackCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RELEASE", description = "A kept release (ops releases lists them); its"
            + " name or a prefix of it, such as its version.")
    private String name;

    @Override
    public Integer call() throws Exception {
        DeployContext context = new DeployContext(config, spec.commandLine().getOut(), json.enabled());
        long start = System.nanoTime();
        try (DeployLock lock = DeployLock.acquire(context.store.directory())) {
            Optional<LiveState> live = context.handover.recover();
            if (live.isEmpty()) {
                throw new DeployException("nothing is deployed on " + context.store.directory() + " yet", 66);
            }
            Release target = target(context, live.get());
            if (target.name().equals(live.get().release())) {
                spec.commandLine().getOut().println(target.name() + " is live already; nothing to do.");
                return 0;
            }
            List<String> damaged = context.store.damaged(target);
            if (!damaged.isEmpty()) {
                throw new DeployException(target.name() + " is damaged (" + String.join(", ", damaged)
                        + " no longer match SHA256SUMS); deploy its archive again", 65);
            }
            SchemaGate.forRollback(context, target, live.get());
            Handover.Timings timings = context.handover.run(target, live, context::topPaths);
            Companions.of(context).restart();
            context.resolveAlert("Rollback to " + target.name() + " succeeded");
            Summary.print(spec.commandLine().getOut(), json.enabled(), "Rolled back to", target, timings, List.of(),
                    System.nanoTime() - start);
            return 0;
        } catch (DeployException e) {
            if (e.exitCode() == 69) {
                context.alert("Rollback failed: " + e.getMessage().lines().findFirst().orElse(""), e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The named release; else the one the live release replaced, while it is kept; else the newest one installed
     * before the live one that did not fail.
     */
    private Release target(DeployContext context, LiveState live) throws DeployException {
        if (name != null) {
            return context.store.find(name).orElseThrow(() -> new DeployException("no kept release is named "
                    + name + "; ops releases lists them", 66));
        }
        List<ReleaseStore.Entry> entries = context.store.list();
        for (ReleaseStore.Entry entry : entries) {
            if (entry.release().name().equals(live.previous()) && entry.failure().isEmpty()) {
                return entry.release();
            }
        }
        boolean afterLive = false;
        for (ReleaseStore.Entry entry : entries) {
            if (entry.release().name().equals(live.release())) {
                afterLive = true;
            } else if (afterLive && entry.failure().isEmpty()) {
                return entry.release();
            }
        }
        throw new DeployException("no release older than " + live.release() + " is kept; ops releases lists them", 66);
    }
}
