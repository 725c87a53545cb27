package dev.athanor.ops.deploy;

import dev.athanor.backup.BackupCatalog;
import dev.athanor.backup.BackupKind;
import dev.athanor.ops.backup.BackupSession;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.DatabaseServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the schema allows: a deploy's pending migrations must leave it usable by the live release, and a rollback's
 * target must be able to run on it (expand, then contract: docs/releases.md). The migrations come from the releases'
 * jars, the applied ones from the database's Flyway history.
 */
final class SchemaGate {

    /** A deploy's pending migrations, each with what would break the live release. */
    record Plan(List<MigrationReview.Reviewed> pending) {

        List<String> breaking() {
            return MigrationReview.describe(pending);
        }

        /** What the deploy will do to the schema, for the operator. */
        List<String> describe() {
            if (pending.isEmpty()) {
                return List.of("No migration pending");
            }
            return List.of(pending.size() + " migration(s) pending: " + String.join(", ", pending.stream()
                    .map(MigrationReview.Reviewed::file).toList()));
        }
    }

    private SchemaGate() {
    }

    static Plan forDeploy(DeployContext context, Release release) throws DeployException {
        List<MigrationReview.MigrationFile> migrations = MigrationReview.inJar(release.siteJar());
        return new Plan(MigrationReview.pending(migrations, applied(context)));
    }

    /** Refuses a rollback to {@code target} when a migration applied since its time took away what it needs. */
    static void forRollback(DeployContext context, Release target, LiveState live) throws DeployException {
        List<MigrationReview.MigrationFile> known = new ArrayList<>();
        for (ReleaseStore.Entry entry : context.store.list()) {
            known.addAll(MigrationReview.inJar(entry.release().siteJar()));
        }
        List<MigrationReview.Reviewed> future = MigrationReview.future(MigrationReview.inJar(target.siteJar()),
                applied(context), known);
        if (!MigrationReview.breaking(future)) {
            if (!future.isEmpty()) {
                context.step.accept(target.name() + " runs on the schema as it is: " + future.size()
                        + " newer migration(s), each only adding");
            }
            return;
        }
        StringBuilder message = new StringBuilder(target.name() + " cannot run on the schema: "
                + String.join("; ", MigrationReview.describe(future)) + ".");
        Optional<String> backup = newestPreDeployBackup(context);
        if (backup.isPresent()) {
            message.append("\nTo go back with the data as it was before that deploy, restore its pre-deploy backup,"
                    + " then roll back (what was written since is lost):\n  ops maintenance on && ops backup restore "
                    + backup.get() + " --to \"$DATABASE_URL\" --force && ops rollback " + target.name()
                    + " && ops maintenance off");
        } else {
            message.append("\nNo pre-deploy backup is kept; ops backup list shows what there is.");
        }
        throw new DeployException(message.toString(), 65);
    }

    /** The newest migration the database has applied, if it can be reached. */
    static Optional<String> databaseVersion(ConfigOption config) {
        try (DatabaseServer server = config.load().getDatabase().start()) {
            return MigrationReview.applied(server.dataSource("athanor-ops")).newest();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The newest migration a release brings. */
    static String releaseVersion(Release release) {
        try {
            return MigrationReview.inJar(release.siteJar()).stream().map(MigrationReview.MigrationFile::version)
                    .max(MigrationReview.VERSION_ORDER).orElse("-");
        } catch (DeployException e) {
            return "?";
        }
    }

    private static SchemaHistory applied(DeployContext context) throws DeployException {
        try (DatabaseServer server = context.configuration.getDatabase().start()) {
            return MigrationReview.applied(server.dataSource("athanor-deploy"));
        } catch (dev.athanor.platform.db.EmbeddedPostgresException e) {
            throw new DeployException("the database cannot be reached: " + e.getMessage(), 69, e);
        }
    }

    private static Optional<String> newestPreDeployBackup(DeployContext context) {
        try (BackupSession session = BackupSession.open(context.config)) {
            return session.backups().catalog().backups().stream()
                    .filter(entry -> entry.manifest().kind() == BackupKind.PRE_DEPLOY)
                    .max(Comparator.comparing(entry -> entry.manifest().startedAt()))
                    .map(entry -> entry.manifest().id());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
