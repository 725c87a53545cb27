package dev.athanor.backup.pitr;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code backup.pitr} keys: point-in-time recovery, the write-ahead log archived continuously by pgBackRest into
 * the backup storage ({@code backup.storage}) under a prefix of its own. {@code ops pitr setup} turns it on.
 *
 * <ul>
 *   <li>{@code directory}: pgBackRest's configuration (with the repository's passphrase, mode 0600), lock, log and
 *       spool, owned by the OS user that runs PostgreSQL (default {@code ./data/pitr}).
 *   <li>{@code prefix}: the repository's path in the bucket, or its directory beside the dumps (default
 *       {@code pitr}).
 *   <li>{@code caFile}: a certificate authority for the storage's TLS certificate, for a private one; empty trusts
 *       the system's. pgBackRest speaks S3 only over TLS.
 *   <li>{@code archiveTimeout}: the longest a written transaction waits to be archived, so the most a lost server
 *       loses (default 60 seconds).
 *   <li>{@code window}: how far back a restore can go; older backups and log expire (default 14 days).
 *   <li>{@code lagAlert}: an alert goes out when the oldest log not yet archived is older than this (default 5
 *       minutes) or a push fails.
 *   <li>{@code restartCommand}: how {@code ops pitr setup} restarts a system PostgreSQL once when archiving is turned
 *       on; empty: {@code pg_ctlcluster VERSION main restart}. The embedded cluster is restarted by Athanor.
 *   <li>{@code socketDirectory}: where a system PostgreSQL's Unix socket is (default {@code /var/run/postgresql},
 *       Debian's and Ubuntu's); pgBackRest and setup reach it there as {@code postgres}, by peer.
 *   <li>{@code pgbackrest}: the program (default {@code pgbackrest}, from the PATH).
 * </ul>
 */
public class PitrFactory {

    /** The stanza: pgBackRest's name for the cluster in the repository. */
    public static final String STANZA = "athanor";

    @NotBlank
    @JsonProperty
    private String directory = "./data/pitr";

    @NotBlank
    @Pattern(regexp = "[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", message = "must be a path such as pitr or site/pitr")
    @JsonProperty
    private String prefix = "pitr";

    @JsonProperty
    private String caFile = "";

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    @JsonProperty
    private Duration archiveTimeout = Duration.seconds(60);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.DAYS)
    @JsonProperty
    private Duration window = Duration.days(14);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration lagAlert = Duration.minutes(5);

    @JsonProperty
    private String restartCommand = "";

    @NotBlank
    @JsonProperty
    private String pgbackrest = "pgbackrest";

    @NotBlank
    @JsonProperty
    private String socketDirectory = "/var/run/postgresql";

    public Path getDirectory() {
        return Path.of(directory.strip());
    }

    public void setDirectory(String directory) {
        this.directory = directory;
    }

    /** The pgBackRest configuration file {@code ops pitr setup} writes. */
    @JsonIgnore
    public Path getConfigFile() {
        return getDirectory().resolve("pgbackrest.conf");
    }

    public String getPrefix() {
        return prefix.strip();
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public Optional<Path> getCaFile() {
        return caFile == null || caFile.isBlank() ? Optional.empty() : Optional.of(Path.of(caFile.strip()));
    }

    public void setCaFile(String caFile) {
        this.caFile = caFile;
    }

    public java.time.Duration getArchiveTimeout() {
        return java.time.Duration.ofMillis(archiveTimeout.toMilliseconds());
    }

    public void setArchiveTimeout(Duration archiveTimeout) {
        this.archiveTimeout = archiveTimeout;
    }

    public java.time.Duration getWindow() {
        return java.time.Duration.ofMillis(window.toMilliseconds());
    }

    public void setWindow(Duration window) {
        this.window = window;
    }

    public java.time.Duration getLagAlert() {
        return java.time.Duration.ofMillis(lagAlert.toMilliseconds());
    }

    public void setLagAlert(Duration lagAlert) {
        this.lagAlert = lagAlert;
    }

    public Optional<String> getRestartCommand() {
        return restartCommand == null || restartCommand.isBlank() ? Optional.empty()
                : Optional.of(restartCommand.strip());
    }

    public void setRestartCommand(String restartCommand) {
        this.restartCommand = restartCommand;
    }

    public Path getSocketDirectory() {
        return Path.of(socketDirectory.strip());
    }

    public void setSocketDirectory(String socketDirectory) {
        this.socketDirectory = socketDirectory;
    }

    public String getPgbackrest() {
        return pgbackrest.strip();
    }

    public void setPgbackrest(String pgbackrest) {
        this.pgbackrest = pgbackrest;
    }
}
