package dev.athanor.backup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.athanor.backup.archive.AgeEncryption;
import dev.athanor.backup.pitr.PitrFactory;
import dev.athanor.backup.retention.RetentionFactory;
import dev.athanor.backup.storage.BackupStorage;
import dev.athanor.backup.storage.BackupStorageFactory;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code backup} section: where backups go, how they are encrypted and kept, and when one is overdue.
 *
 * <ul>
 *   <li>{@code storage}: where backups are kept (see {@link BackupStorageFactory}): a local directory by default,
 *       any S3-compatible bucket on a server.
 *   <li>{@code encryption.keyFile}: an age key file ({@code ops backup keygen FILE}); when set, archives are
 *       encrypted to its public key on the way up. Empty (the default): archives are stored as pg_dump wrote them.
 *       Keep a copy of the key file away from the server: without it no encrypted backup can be restored.
 *   <li>{@code clientBinDirectory}: where pg_dump and pg_restore are; empty finds the newest installed ones.
 *   <li>{@code pitr}: point-in-time recovery with pgBackRest (see {@link PitrFactory}).
 *   <li>{@code retention}: how many backups {@code ops backup prune} keeps (see {@link RetentionFactory}).
 *   <li>{@code period} and {@code grace}: the newest good backup must be younger than their sum (default 1 day plus
 *       6 hours), or the {@code backup-age} health check turns unhealthy and an alert goes out.
 *   <li>{@code shrinkAlertRatio}: a backup smaller than this fraction of the previous one of the same database is
 *       flagged and alerted (default 0.5).
 *   <li>{@code partSize}, {@code uploadConcurrency}, {@code uploadAttempts}: multipart upload tuning; memory is
 *       about {@code partSize * (uploadConcurrency + 1)} (default 8 MiB, 2, 6 tries per request).
 * </ul>
 */
public class BackupFactory {

    @Valid
    @NotNull
    @JsonProperty
    private BackupStorageFactory storage = new BackupStorageFactory();

    @Valid
    @NotNull
    @JsonProperty
    private EncryptionFactory encryption = new EncryptionFactory();

    @JsonProperty
    private String clientBinDirectory = "";

    @Valid
    @NotNull
    @JsonProperty
    private PitrFactory pitr = new PitrFactory();

    @Valid
    @NotNull
    @JsonProperty
    private RetentionFactory retention = new RetentionFactory();

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration period = Duration.days(1);

    @NotNull
    @JsonProperty
    private Duration grace = Duration.hours(6);

    @DecimalMin("0")
    @DecimalMax("1")
    @JsonProperty
    private double shrinkAlertRatio = 0.5;

    @NotNull
    @MinDataSize(value = 5, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @MaxDataSize(value = 512, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @JsonProperty
    private DataSize partSize = DataSize.mebibytes(8);

    @Min(1)
    @Max(16)
    @JsonProperty
    private int uploadConcurrency = 2;

    @Min(1)
    @Max(20)
    @JsonProperty
    private int uploadAttempts = 6;

    /** The {@code backup.encryption} keys. */
    public static class EncryptionFactory {
        @JsonProperty
        private String keyFile = "";

        public Optional<Path> getKeyFile() {
            return keyFile == null || keyFile.isBlank() ? Optional.empty() : Optional.of(Path.of(keyFile.strip()));
        }

        public void setKeyFile(String keyFile) {
            this.keyFile = keyFile;
        }
    }

    public BackupStorageFactory getStorage() {
        return storage;
    }

    /** The {@code backup.pitr} keys: point-in-time recovery with pgBackRest. */
    public PitrFactory getPitr() {
        return pitr;
    }

    public EncryptionFactory getEncryption() {
        return encryption;
    }

    public java.time.Duration getPeriod() {
        return java.time.Duration.ofMillis(period.toMilliseconds());
    }

    public java.time.Duration getGrace() {
        return java.time.Duration.ofMillis(grace.toMilliseconds());
    }

    public void setPeriod(Duration period) {
        this.period = period;
    }

    public void setGrace(Duration grace) {
        this.grace = grace;
    }

    @JsonIgnore
    public Optional<Path> getClientBinDirectory() {
        return clientBinDirectory == null || clientBinDirectory.isBlank() ? Optional.empty()
                : Optional.of(Path.of(clientBinDirectory.strip()));
    }

    public void setClientBinDirectory(String clientBinDirectory) {
        this.clientBinDirectory = clientBinDirectory;
    }

    /**
     * The backups this describes, reporting to {@code alerts}; close when done.
     *
     * @throws BackupException when the encryption key file cannot be used
     */
    public Backups build(AlertSink alerts) throws BackupException {
        return build(alerts, storage.build((int) partSize.toBytes(), uploadConcurrency, uploadAttempts));
    }

    /**
     * The backups as status pages read them ({@link Backups#overview()}, {@link Backups#checkStorage()}): each
     * storage request bounded by {@code requestTimeout} and tried twice at most, no alerts; close when done.
     *
     * @throws BackupException when the encryption key file cannot be used
     */
    public Backups buildForReading(java.time.Duration requestTimeout) throws BackupException {
        return build(AlertSink.NONE, storage.build((int) partSize.toBytes(), 1, 2, requestTimeout));
    }

    private Backups build(AlertSink alerts, BackupStorage opened) throws BackupException {
        Optional<AgeEncryption> age;
        try {
            age = encryption.getKeyFile().isPresent()
                    ? Optional.of(AgeEncryption.fromKeyFile(encryption.getKeyFile().get()))
                    : Optional.empty();
        } catch (BackupException | RuntimeException e) {
            opened.close();
            throw e;
        }
        return new Backups(opened, () -> PostgresClient.locate(getClientBinDirectory()), age, retention.build(),
                shrinkAlertRatio, alerts, Clock.systemUTC());
    }
}
