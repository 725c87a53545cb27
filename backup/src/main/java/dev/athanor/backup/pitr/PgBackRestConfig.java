package dev.athanor.backup.pitr;

import dev.athanor.backup.storage.BackupStorageFactory;
import dev.athanor.backup.storage.S3Storage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pgBackRest configuration file for one cluster, rendered from {@code backup.storage} and {@code backup.pitr}:
 * the repository (the dumps' bucket under the pitr prefix, or a directory beside the dumps), encrypted with
 * {@code passphrase}; the retention that keeps {@code window} restorable; asynchronous archiving with lock, log and
 * spool under the pitr directory; and how to reach the cluster through its socket.
 */
public final class PgBackRestConfig {

    private static final Pattern PASSPHRASE = Pattern.compile("(?m)^repo1-cipher-pass=(\\S+)$");

    private PgBackRestConfig() {
    }

    /** The file's text. */
    public static String render(BackupStorageFactory storage, PitrFactory pitr, Cluster cluster, String passphrase)
            throws PitrException {
        Path directory = pitr.getDirectory().toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>(List.of(
                "# Written by ops pitr setup from config.yml (backup.storage, backup.pitr); a second run rewrites it.",
                "# Keep a copy of repo1-cipher-pass off this server: without it the repository cannot be read.",
                "[global]"));
        lines.addAll(repository(storage, pitr));
        lines.addAll(List.of(
                "repo1-cipher-type=aes-256-cbc",
                "repo1-cipher-pass=" + passphrase,
                "repo1-retention-full-type=time",
                "repo1-retention-full=" + Math.max(1, pitr.getWindow().toDays()),
                "archive-async=y",
                "process-max=2",
                "compress-type=zst",
                // zstd's level 1 rather than pgBackRest's 3: half the CPU of a base backup on a small server, and no
                // larger in bench/pitr.sh (233 MiB of 1 GiB against 244 MiB)
                "compress-level=1",
                "start-fast=y",
                "delta=y",
                "log-level-console=info",
                "log-level-file=info",
                "log-path=" + directory.resolve("log"),
                "lock-path=" + directory.resolve("lock"),
                "spool-path=" + directory.resolve("spool"),
                "",
                "[" + PitrFactory.STANZA + "]",
                "pg1-path=" + cluster.dataDirectory(),
                "pg1-socket-path=" + cluster.socketDirectory(),
                "pg1-port=" + cluster.port(),
                "pg1-user=" + cluster.superuser()));
        return String.join("\n", lines) + "\n";
    }

    /** The repository passphrase in a file this class wrote, if it has one. */
    public static Optional<String> passphrase(String config) {
        Matcher matcher = PASSPHRASE.matcher(config);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static List<String> repository(BackupStorageFactory storage, PitrFactory pitr) throws PitrException {
        if (storage.getType() == BackupStorageFactory.Type.DIRECTORY) {
            return List.of("repo1-type=posix",
                    "repo1-path=" + storage.getDirectory().toAbsolutePath().normalize().resolve(pitr.getPrefix()));
        }
        S3Storage.Settings s3 = storage.s3Settings(5 << 20, 1, 1, Duration.ofMinutes(1));
        URI endpoint = s3.endpoint().orElse(URI.create("https://s3." + s3.region() + ".amazonaws.com"));
        if (!"https".equals(endpoint.getScheme())) {
            throw new PitrException("backup.storage.endpoint is " + endpoint + ": pgBackRest speaks S3 only over"
                    + " TLS, so point-in-time recovery needs an https endpoint", PitrException.CONFIG);
        }
        List<String> lines = new ArrayList<>(List.of(
                "repo1-type=s3",
                "repo1-s3-endpoint=" + endpoint.getHost(),
                "repo1-s3-bucket=" + s3.bucket(),
                "repo1-s3-region=" + s3.region(),
                "repo1-s3-uri-style=" + (s3.pathStyle() ? "path" : "host"),
                "repo1-path=/" + pitr.getPrefix()));
        if (endpoint.getPort() > 0 && endpoint.getPort() != 443) {
            lines.add("repo1-storage-port=" + endpoint.getPort());
        }
        if (s3.accessKeyId().isPresent()) {
            lines.add("repo1-s3-key=" + s3.accessKeyId().get());
            lines.add("repo1-s3-key-secret=" + s3.secretAccessKey().orElse(""));
        } else {
            lines.add("repo1-s3-key-type=auto");
        }
        pitr.getCaFile().ifPresent(ca -> lines.add("repo1-storage-ca-file=" + ca.toAbsolutePath().normalize()));
        return lines;
    }
}
