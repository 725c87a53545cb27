package dev.athanor.backup.pitr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * pgBackRest for Athanor's stanza: each command run as the cluster's OS user with the configuration
 * {@code ops pitr setup} wrote, its failure an exception carrying the end of what pgBackRest said.
 */
public final class PgBackRest {

    private static final Duration QUICK = Duration.ofMinutes(5);
    private static final Duration LONG = Duration.ofHours(12);

    private final String program;
    private final Path configFile;
    private final Cluster cluster;

    public PgBackRest(String program, Path configFile, Cluster cluster) {
        this.program = program;
        this.configFile = configFile.toAbsolutePath().normalize();
        this.cluster = cluster;
    }

    public Cluster cluster() {
        return cluster;
    }

    /** PostgreSQL's {@code archive_command} that pushes each completed segment into the repository. */
    public String archiveCommand() {
        return program + " --config=" + configFile + " --stanza=" + PitrFactory.STANZA + " archive-push %p";
    }

    /** Creates the stanza in the repository; a stanza that exists for this cluster is left as it is. */
    public void stanzaCreate() throws PitrException {
        run(QUICK, "stanza-create");
    }

    /** Checks that the server archives into the repository: forces a segment out and waits for it to arrive. */
    public void check() throws PitrException {
        run(QUICK, "check");
    }

    /** Takes a base backup of {@code type}, then expires what the retention no longer needs; pgBackRest's output. */
    public String backup(BackupType type) throws PitrException {
        return run(LONG, "backup", type.option());
    }

    /** What the repository holds. */
    public RepositoryInfo info() throws PitrException {
        return RepositoryInfo.parse(run(QUICK, "info", "--output=json", "--log-level-console=warn"));
    }

    /**
     * Restores the newest backup that precedes {@code target} into {@code dataDirectory} (empty, owned by the
     * cluster's user) and writes the recovery settings, so that the cluster, once started, replays the log to
     * {@code target} and is promoted. With {@code keepArchiving} false, the restored cluster does not archive
     * (a scratch copy must never push into the site's repository).
     */
    public void restore(Path dataDirectory, RecoveryTarget target, boolean keepArchiving) throws PitrException {
        List<String> options = new ArrayList<>(List.of("restore", "--pg1-path=" + dataDirectory.toAbsolutePath()));
        options.addAll(target.options());
        if (!keepArchiving) {
            options.add("--archive-mode=off");
        }
        run(LONG, options.toArray(String[]::new));
    }

    private String run(Duration timeout, String... arguments) throws PitrException {
        List<String> command = new ArrayList<>(List.of(program, "--config=" + configFile,
                "--stanza=" + PitrFactory.STANZA));
        command.addAll(List.of(arguments));
        return cluster.run(command, timeout, "pgbackrest " + arguments[0]);
    }
}
