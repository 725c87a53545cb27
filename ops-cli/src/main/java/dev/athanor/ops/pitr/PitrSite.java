package dev.athanor.ops.pitr;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.PostgresClient;
import dev.athanor.backup.ToolNotFoundException;
import dev.athanor.backup.pitr.BackupType;
import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.PitrException;
import dev.athanor.backup.pitr.PitrFactory;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.platform.db.EmbeddedPostgresException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The site's PostgreSQL as point-in-time recovery sees it: the embedded cluster (restarted by Athanor, run by the OS
 * user that owns it), a system cluster on this machine (run by {@code postgres}, reached by peer through
 * {@code backup.pitr.socketDirectory}), or a managed one elsewhere, which keeps its own point-in-time recovery.
 */
public final class PitrSite {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final AthanorConfiguration configuration;

    private PitrSite(AthanorConfiguration configuration) {
        this.configuration = configuration;
    }

    public static PitrSite of(AthanorConfiguration configuration) {
        return new PitrSite(configuration);
    }

    public PitrFactory settings() {
        return configuration.getBackup().getPitr();
    }

    public AthanorConfiguration configuration() {
        return configuration;
    }

    /** Whether {@code ops pitr setup} has written pgBackRest's configuration. */
    public boolean isSetUp() {
        return Files.isRegularFile(settings().getConfigFile());
    }

    public boolean isEmbedded() {
        return configuration.getDatabase().isEmbedded();
    }

    /** The host of a database on another machine (a managed one), or empty for this machine's. */
    public Optional<String> remoteHost() {
        if (isEmbedded()) {
            return Optional.empty();
        }
        String host = host(configuration.getDatabase().getUrl());
        return LOCAL_HOSTS.contains(host) ? Optional.empty() : Optional.of(host);
    }

    /** The embedded cluster of {@code database.embedded}. */
    public EmbeddedPostgres embedded() {
        return configuration.getDatabase().getEmbedded().build();
    }

    /** pgBackRest for the site's cluster, once set up. */
    public PgBackRest pgBackRest() throws PitrException {
        if (!isSetUp()) {
            throw new PitrException("point-in-time recovery is not set up (no " + settings().getConfigFile()
                    + "): run ops pitr setup", PitrException.CONFIG);
        }
        return pgBackRest(cluster());
    }

    /**
     * Takes a base backup of {@code type}: by pgBackRest as the cluster's OS user, or, for a system cluster when this
     * process may not become {@code postgres} (the scheduler runs as athanor), through {@code athanor-pitr@TYPE}.
     */
    public void backup(BackupType type) throws PitrException {
        if (backsUpThroughUnits()) {
            BackupUnit.run(type);
        } else {
            pgBackRest().backup(type);
        }
    }

    /** Whether this process backs up a system cluster through {@code athanor-pitr@TYPE} (it may not run as postgres). */
    public boolean backsUpThroughUnits() {
        return !isEmbedded() && isSetUp() && !mayRunAsPostgres();
    }

    /** The unit that takes a backup of {@code type} of a system cluster. */
    public static String backupUnit(BackupType type) {
        return BackupUnit.name(type);
    }

    /** Whether this process is root or postgres, and so may run pgBackRest for a system cluster. */
    static boolean mayRunAsPostgres() {
        String user = System.getProperty("user.name");
        return "root".equals(user) || "postgres".equals(user);
    }

    PgBackRest pgBackRest(Cluster cluster) {
        return new PgBackRest(settings().getPgbackrest(), settings().getConfigFile(), cluster);
    }

    /** The site's cluster on its fixed port (embedded: fixed by setup) or the configured one. */
    public Cluster cluster() throws PitrException {
        if (isEmbedded()) {
            try {
                int port = embedded().fixedPort().orElseThrow(() -> new PitrException("the embedded PostgreSQL"
                        + " has no fixed port yet: run ops pitr setup", PitrException.CONFIG));
                return cluster(port);
            } catch (EmbeddedPostgresException e) {
                throw new PitrException(e.getMessage(), PitrException.CONFIG, e);
            }
        }
        return cluster(port(configuration.getDatabase().getUrl()));
    }

    /** The site's cluster as reached on {@code port}. */
    Cluster cluster(int port) throws PitrException {
        Path client = clientBin();
        if (isEmbedded()) {
            try {
                EmbeddedPostgres embedded = embedded();
                return new Cluster("the embedded PostgreSQL in " + embedded.dataDirectory(),
                        embedded.dataDirectory(), embedded.socketDirectory(), port, EmbeddedPostgres.USER,
                        Optional.of(embedded.superuserPassword()), embedded.commandPrefix(), embedded.binaries(),
                        client, true);
            } catch (EmbeddedPostgresException e) {
                throw new PitrException(e.getMessage(), PitrException.CONFIG, e);
            }
        }
        if (remoteHost().isPresent()) {
            throw new PitrException("the database is on " + remoteHost().get() + ", not this machine",
                    PitrException.CONFIG);
        }
        if (!mayRunAsPostgres()) {
            throw new PitrException("pgBackRest runs as postgres, the system cluster's owner: run ops pitr as root",
                    PitrException.CONFIG);
        }
        List<String> runAs = "postgres".equals(System.getProperty("user.name")) ? List.of()
                : List.of("runuser", "-u", "postgres", "--");
        Cluster probe = new Cluster("the system PostgreSQL on port " + port, Path.of("/"), settings().getSocketDirectory(), port,
                "postgres", Optional.empty(), runAs, client, client, false);
        String[] facts = probe.sql("postgres", "SELECT current_setting('data_directory') || '|'"
                + " || current_setting('server_version_num')").split("\\|");
        Path data = Path.of(facts[0].strip());
        Path serverBin = Path.of("/usr/lib/postgresql", Integer.toString(Integer.parseInt(facts[1].strip()) / 10000),
                "bin");
        return new Cluster("the system PostgreSQL in " + data, data, settings().getSocketDirectory(), port, "postgres",
                Optional.empty(), runAs, serverBin, client, false);
    }

    private Path clientBin() throws PitrException {
        try {
            return PostgresClient.locate(configuration.getBackup().getClientBinDirectory()).binDirectory();
        } catch (ToolNotFoundException e) {
            throw new PitrException(e.getMessage() + " (psql comes with it: apt-get install postgresql-client)",
                    PitrException.CONFIG, e);
        }
    }

    static String host(String url) {
        String address = url.replaceFirst("^jdbc:", "");
        URI uri = URI.create(address.startsWith("postgres://") ? address.replaceFirst("^postgres:", "postgresql:")
                : address);
        return uri.getHost() == null ? "localhost" : uri.getHost();
    }

    static int port(String url) {
        URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
        return uri.getPort() > 0 ? uri.getPort() : 5432;
    }
}
