package dev.athanor.ops.pitr;

import dev.athanor.backup.pitr.BackupType;
import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.PgBackRestConfig;
import dev.athanor.backup.pitr.PitrException;
import dev.athanor.backup.pitr.RepositoryInfo;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.platform.db.EmbeddedPostgresException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code ops pitr setup}'s steps, each done only when not already so: pgBackRest's configuration, the archive
 * settings, one restart when they need it (allowed by {@code restartAllowed}), the stanza, a check, and the first
 * full backup. What changed is returned, so a second run says it changed nothing.
 */
final class PitrSetup {

    private final PitrSite site;
    private final Consumer<String> say;

    PitrSetup(PitrSite site, Consumer<String> say) {
        this.site = site;
        this.say = say;
    }

    /** What setup did: the steps that changed something, whether PostgreSQL restarted, the first backup's label. */
    record Outcome(List<String> changes, boolean restarted, String backup) {
    }

    Outcome run(BooleanSupplier restartAllowed) throws PitrException {
        if (site.isEmbedded()) {
            EmbeddedPostgres embedded = site.embedded();
            List<DatabaseServer> held = new ArrayList<>();
            try {
                held.add(embedded.acquire());
                int port = PitrSite.port(held.get(0).jdbcUrl());
                boolean socketMissing = !java.nio.file.Files.isDirectory(embedded.socketDirectory());
                embedded.fixForArchiving(port);
                return configure(site.cluster(port), socketMissing, restartAllowed, () -> {
                    embedded.stop();
                    held.add(embedded.acquire());
                });
            } catch (EmbeddedPostgresException e) {
                throw new PitrException(e.getMessage(), PitrException.FAILED, e);
            } finally {
                held.forEach(DatabaseServer::close); // the server keeps running while the site uses it
            }
        }
        Cluster cluster = site.cluster();
        String command = site.settings().getRestartCommand().orElse("pg_ctlcluster " + cluster.serverBin().getParent()
                .getFileName() + " main restart");
        return configure(cluster, false, restartAllowed, () -> SetupFiles.runShell(command));
    }

    private Outcome configure(Cluster cluster, boolean socketMissing, BooleanSupplier restartAllowed,
            Restart restart) throws PitrException {
        List<String> changes = new ArrayList<>();
        SetupFiles files = new SetupFiles(cluster);
        files.directories(site.settings().getDirectory(), List.of("log", "lock", "spool"));
        files.reachable(site.settings().getDirectory()).ifPresent(changes::add);
        if (site.configuration().getBackup().getStorage().getType()
                == dev.athanor.backup.storage.BackupStorageFactory.Type.DIRECTORY) {
            Path repository = site.configuration().getBackup().getStorage().getDirectory().resolve(
                    site.settings().getPrefix());
            files.directories(repository, List.of());
            files.reachable(repository).ifPresent(changes::add);
        }
        Path configFile = site.settings().getConfigFile();
        String passphrase = files.read(configFile).flatMap(PgBackRestConfig::passphrase).orElseGet(PitrSetup::newPassphrase);
        String config = PgBackRestConfig.render(site.configuration().getBackup().getStorage(), site.settings(), cluster,
                passphrase);
        // tried from a file beside it first: a configuration that cannot reach the repository never takes its place,
        // so a failed setup leaves point-in-time recovery as it was (off, for the scheduler and ops status alike)
        Path candidate = configFile.resolveSibling(configFile.getFileName() + ".new");
        try {
            files.writeSecret(candidate, config);
            new PgBackRest(site.settings().getPgbackrest(), candidate, cluster).reachRepository();
        } finally {
            SiteRestore.deleteQuietly(candidate);
        }
        boolean configNew = !java.nio.file.Files.exists(configFile);
        if (files.writeSecret(configFile, config)) {
            changes.add("wrote " + configFile + " (mode 0600; keep a copy of its repo1-cipher-pass off this server)");
        }
        PgBackRest pgBackRest = site.pgBackRest(cluster);
        List<String> set = new ArrayList<>();
        boolean[] restarted = {false};
        try {
            archive(cluster, pgBackRest, socketMissing, restartAllowed, restart, changes, set, restarted);
            pgBackRest.stanzaCreate();
            pgBackRest.check();
        } catch (PitrException e) {
            throw new PitrException(e.getMessage() + "; " + undo(cluster, set, configNew ? configFile : null,
                    restarted[0]), e.exitCode(), e);
        }
        RepositoryInfo info = pgBackRest.info();
        String backup = info.newest().map(RepositoryInfo.StoredBackup::label).orElse("");
        if (backup.isEmpty()) {
            say.accept("Taking the first full backup");
            pgBackRest.backup(BackupType.FULL);
            backup = pgBackRest.info().newest().map(RepositoryInfo.StoredBackup::label).orElse("");
            changes.add("took the first full backup " + backup);
        }
        return new Outcome(List.copyOf(changes), restarted[0], backup);
    }

    /** Sets the archive settings (restarting once when they need it), recording each key set in {@code set}. */
    private void archive(Cluster cluster, PgBackRest pgBackRest, boolean socketMissing, BooleanSupplier restartAllowed,
            Restart restart, List<String> changes, List<String> set, boolean[] restarted) throws PitrException {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("archive_mode", "on");
        wanted.put("archive_command", pgBackRest.archiveCommand());
        wanted.put("archive_timeout", Long.toString(site.settings().getArchiveTimeout().toSeconds()));
        boolean restartNeeded = socketMissing;
        for (Map.Entry<String, String> setting : wanted.entrySet()) {
            String current = cluster.sql("postgres", "SELECT setting FROM pg_settings WHERE name = '"
                    + setting.getKey() + "'");
            if (!current.equals(setting.getValue())) {
                set.add(setting.getKey());
                cluster.sql("postgres", "ALTER SYSTEM SET " + setting.getKey() + " = '"
                        + setting.getValue().replace("'", "''") + "'");
                changes.add("set " + setting.getKey() + " = " + setting.getValue());
                restartNeeded |= "archive_mode".equals(setting.getKey());
            }
        }
        if ("minimal".equals(cluster.sql("postgres", "SHOW wal_level"))) {
            cluster.sql("postgres", "ALTER SYSTEM SET wal_level = 'replica'");
            changes.add("set wal_level = replica");
            restartNeeded = true;
        }
        if (restartNeeded) {
            if (!restartAllowed.getAsBoolean()) {
                throw new PitrException("PostgreSQL must restart once for archiving to begin; nothing was restarted."
                        + " Run ops pitr setup --yes to restart it now", PitrException.CONFIG);
            }
            say.accept("Restarting " + cluster.description() + " (once) so that archiving begins");
            try {
                restart.run();
            } catch (EmbeddedPostgresException | IOException e) {
                throw new PitrException("could not restart " + cluster.description() + ": " + e.getMessage(),
                        PitrException.FAILED, e);
            }
            restarted[0] = true;
            // the checkpointer of a fresh start heeds archive_timeout only after a first checkpoint or a reload
            cluster.sql("postgres", "SELECT pg_reload_conf()");
        } else if (!changes.isEmpty()) {
            cluster.sql("postgres", "SELECT pg_reload_conf()");
        }
        if (!cluster.embedded()) {
            grantMonitoring(cluster);
            allowScheduledBackups().ifPresent(changes::add);
        }
    }

    /**
     * Takes back what a failed setup set, so that no archive_command that cannot push holds the server's log, and
     * no configuration says point-in-time recovery is on; what was done, for the message.
     */
    private String undo(Cluster cluster, List<String> set, Path newConfig, boolean restarted) {
        try {
            for (String key : set) {
                cluster.sql("postgres", "ALTER SYSTEM RESET " + key);
            }
            cluster.sql("postgres", "SELECT pg_reload_conf()");
            if (newConfig != null) {
                java.nio.file.Files.deleteIfExists(newConfig);
            }
        } catch (PitrException | IOException e) {
            return "the settings it made could not all be taken back (" + e.getMessage() + "): check archive_mode and"
                    + " archive_command, and run ops pitr setup again";
        }
        return set.isEmpty() ? "nothing was left changed" : "the archive settings were taken back"
                + (restarted ? " (PostgreSQL keeps archive_mode on, holding its log, until its next restart)" : "");
    }

    /** The site's own user may read the archiver's state (the archive health check) on a system cluster. */
    private void grantMonitoring(Cluster cluster) throws PitrException {
        String user = site.configuration().getDatabase().getUser();
        if (user != null && !user.isBlank() && user.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            cluster.sql("postgres", "GRANT pg_monitor TO " + user);
        }
    }

    /**
     * Lets the scheduler (the athanor user) start {@code athanor-pitr@full|diff.service}, which run pgBackRest as
     * postgres: a polkit rule, written when the site runs under systemd (deploy.mode), polkit is installed and this
     * process is root.
     */
    private java.util.Optional<String> allowScheduledBackups() throws PitrException {
        Path rules = Path.of("/etc/polkit-1/rules.d");
        boolean units = site.configuration().getDeploy().getMode()
                == dev.athanor.monitoring.deploy.DeployFactory.Mode.SYSTEMD;
        if (!units || !java.nio.file.Files.isDirectory(rules) || !"root".equals(System.getProperty("user.name"))) {
            return java.util.Optional.empty();
        }
        Path rule = rules.resolve("50-athanor-pitr.rules");
        try (var in = PitrSetup.class.getResourceAsStream("athanor-pitr.rules")) {
            byte[] text = in.readAllBytes();
            if (java.nio.file.Files.exists(rule) && java.util.Arrays.equals(java.nio.file.Files.readAllBytes(rule),
                    text)) {
                return java.util.Optional.empty();
            }
            java.nio.file.Files.write(rule, text);
            return java.util.Optional.of("wrote " + rule + " (the scheduler may start athanor-pitr@full|diff)");
        } catch (IOException e) {
            throw new PitrException("could not write " + rule + ": " + e.getMessage(), PitrException.CONFIG, e);
        }
    }

    private static String newPassphrase() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** How the cluster restarts. */
    interface Restart {
        void run() throws EmbeddedPostgresException, IOException, PitrException;
    }
}
