package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.PostgresClient;
import dev.athanor.backup.PostgresVersion;
import dev.athanor.backup.ToolNotFoundException;
import dev.athanor.backup.storage.BackupStorageFactory;
import dev.athanor.monitoring.DiskSpace;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.mail.SmtpFactory;
import dev.athanor.platform.db.DatabaseServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code ops doctor} checks on the server, one method per concern, each returning findings with their fixes.
 * Nothing here changes anything.
 */
final class ServerChecks {

    private static final int OWNERSHIP_FILES = 20_000;

    private final AthanorConfiguration configuration;
    private final Optional<Path> pgBin;

    ServerChecks(AthanorConfiguration configuration, Optional<Path> pgBin) {
        this.configuration = configuration;
        this.pgBin = pgBin;
    }

    Finding java() {
        Runtime.Version version = Runtime.version();
        return version.feature() >= 17 ? Finding.ok("java", "Java " + version)
                : Finding.fail("java", "Java " + version + " is too old", "apt-get install openjdk-17-jre-headless");
    }

    /** PostgreSQL reachable, and pg_dump at least as new as the server. */
    List<Finding> database() {
        List<Finding> findings = new ArrayList<>();
        Integer serverMajor = null;
        try (DatabaseServer server = configuration.getDatabase().start()) {
            try (Connection connection = server.connect("athanor-ops-doctor", 5);
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("show server_version_num")) {
                row.next();
                serverMajor = Integer.parseInt(row.getString(1)) / 10_000;
                findings.add(Finding.ok("database", "PostgreSQL " + serverMajor + " reachable (" + server.describe()
                        + ")"));
            }
        } catch (Exception e) {
            findings.add(Finding.fail("database", "cannot reach PostgreSQL: " + firstLine(e), "check DATABASE_URL"
                    + " (and DATABASE_USER, DATABASE_PASSWORD) in /etc/athanor/athanor.env, and that PostgreSQL"
                    + " runs: systemctl status postgresql"));
        }
        try {
            PostgresClient client = PostgresClient.locate(pgBin);
            PostgresVersion dump = client.version();
            if (serverMajor == null) {
                findings.add(Finding.ok("pg_dump", "pg_dump " + dump + " in " + client.binDirectory()
                        + " (server version unknown)"));
            } else if (dump.major() < serverMajor) {
                findings.add(Finding.fail("pg_dump", "pg_dump " + dump + " in " + client.binDirectory()
                        + " is older than the server (PostgreSQL " + serverMajor + ") and cannot dump it",
                        "apt-get install postgresql-client-" + serverMajor + " (from apt.postgresql.org if the"
                                + " distribution has none), or point at a newer one"));
            } else {
                findings.add(Finding.ok("pg_dump", "pg_dump " + dump + " can dump PostgreSQL " + serverMajor));
            }
        } catch (ToolNotFoundException e) {
            findings.add(Finding.fail("pg_dump", "pg_dump not found", "apt-get install postgresql-client"));
        }
        return findings;
    }

    /**
     * Files under the data and log directories that the directory's owner (the user the units run as) does not own:
     * written by an {@code ops} run as root, they are unreadable or unwritable to the site and the scheduler (an ACME
     * account key, alert state, a certificate). The embedded PostgreSQL's cluster has an owner of its own and is left
     * out; at most {@value #OWNERSHIP_FILES} files are looked at per directory.
     */
    List<Finding> ownership() {
        List<Finding> findings = new ArrayList<>();
        Path cluster = configuration.getDatabase().getEmbedded().getDirectory().toAbsolutePath().normalize();
        for (Path directory : List.of(configuration.getStorage().getDataDirectory(),
                configuration.getStorage().getLogDirectory())) {
            if (!Files.isDirectory(directory)) {
                continue; // disks() names it
            }
            try {
                UserPrincipal owner = Files.getOwner(directory);
                List<Path> strangers = new ArrayList<>();
                try (Stream<Path> files = Files.walk(directory).limit(OWNERSHIP_FILES)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        if (!file.toAbsolutePath().normalize().startsWith(cluster)
                                && !Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
                            strangers.add(file);
                        }
                    }
                }
                findings.add(strangers.isEmpty()
                        ? Finding.ok("ownership", "everything in " + directory + " belongs to " + owner.getName())
                        : Finding.fail("ownership", strangers.size() + " file(s) in " + directory + " do not belong to "
                                + owner.getName() + ", its owner (" + strangers.get(0) + " belongs to "
                                + Files.getOwner(strangers.get(0), LinkOption.NOFOLLOW_LINKS).getName()
                                + "): the site and the scheduler may not read or replace them",
                                "chown -R " + owner.getName() + ": " + directory + ", and run ops as the wrapper of"
                                        + " the install does (as " + owner.getName() + ")"));
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                findings.add(Finding.warn("ownership", "could not look through " + directory + ": "
                        + e.getMessage(), "run ops doctor as root"));
            }
        }
        return findings;
    }

    List<Finding> disks() {
        List<Finding> findings = new ArrayList<>();
        for (Path directory : List.of(configuration.getStorage().getDataDirectory(),
                configuration.getStorage().getLogDirectory())) {
            try {
                DiskSpace.Reading reading = DiskSpace.measure(directory);
                findings.add(configuration.getStorage().diskSpaceLimit().shortfall(reading)
                        .map(shortfall -> Finding.fail("disk", shortfall, "free space: old logs (journalctl"
                                + " --vacuum-size=200M), apt-get clean, or a bigger volume"))
                        .orElseGet(() -> Finding.ok("disk", reading.describe())));
            } catch (java.io.IOException e) {
                findings.add(Finding.fail("disk", directory + ": " + e.getMessage(), "create it: install -d -o"
                        + " athanor " + directory));
            }
        }
        return findings;
    }

    /**
     * The site's live instance unit ({@link SiteUnitCheck}), then each of monitoring.units (the scheduler, the health
     * watch, nginx): installed and enabled.
     */
    List<Finding> units() {
        List<Finding> findings = new ArrayList<>(new SiteUnitCheck(configuration.getDeploy()).findings());
        for (String unit : configuration.getMonitoring().getUnits()) {
            if (unit.equals(SiteUnitCheck.FORMER_UNIT)) {
                findings.add(SiteUnitCheck.formerUnit());
            } else {
                findings.add(unitEnabled(unit, unit.startsWith("athanor") ? "cp /opt/athanor/current/systemd/" + unit
                        + " /etc/systemd/system/ && systemctl daemon-reload && " : ""));
            }
        }
        return findings;
    }

    /** Whether systemd has {@code unit} enabled; if not, the fix: {@code install} (a copy, or nothing) and enable. */
    static Finding unitEnabled(String unit, String install) {
        Optional<String> state = run(List.of("systemctl", "is-enabled", unit));
        if (state.isEmpty()) {
            return Finding.warn("systemd", "cannot ask systemctl about " + unit, "run ops doctor on the server, where"
                    + " systemd runs");
        }
        if (state.get().strip().equals("enabled")) {
            return Finding.ok("systemd", unit + " enabled");
        }
        return Finding.fail("systemd", unit + " is " + (state.get().isBlank() ? "not installed" : state.get().strip()),
                install + "systemctl enable --now " + unit);
    }

    List<Finding> certificates() {
        List<Finding> findings = new ArrayList<>();
        try {
            List<CertificateFiles> managed = configuration.getCertificates().managed();
            for (CertificateFiles files : managed) {
                if (!Files.isReadable(files.chain()) || !Files.isReadable(files.key())) {
                    findings.add(Finding.fail("certificates", files.name() + ": " + files.chain() + " or its key is"
                            + " missing or unreadable", "ops certs issue " + files.name()));
                } else {
                    files.currentChain();
                    findings.add(Finding.ok("certificates", files.name() + ": " + files.chain() + " readable"));
                }
            }
            for (String domain : configuration.getCertificates().getDomains()) {
                if (managed.stream().noneMatch(files -> files.name().equals(domain)) && domain.equals(
                        configuration.getCertificates().getDomains().get(0))) {
                    findings.add(Finding.fail("certificates", domain + " is configured but has no certificate",
                            "ops certs issue"));
                }
            }
            if (managed.isEmpty() && configuration.getCertificates().getDomains().isEmpty()) {
                findings.add(Finding.warn("certificates", "no certificates managed", "set ATHANOR_DOMAINS in"
                        + " /etc/athanor/athanor.env, then ops certs issue"));
            }
        } catch (java.io.IOException e) {
            findings.add(Finding.fail("certificates", firstLine(e), "ops certs status shows which file"));
        }
        return findings;
    }

    /** The backup storage takes our requests: a HEAD on the bucket, or the directory writable. */
    Finding objectStorage() {
        BackupStorageFactory storage = configuration.getBackup().getStorage();
        boolean bucket = storage.getType() == BackupStorageFactory.Type.S3;
        try (BackupStatus backups = BackupStatus.of(configuration)) {
            Optional<String> problem = backups.checkStorage();
            if (problem.isEmpty()) {
                return Finding.ok("object storage", backups.describeStorage() + (bucket
                        ? " answers with our credentials" : " is writable"));
            }
            return Finding.fail("object storage", problem.get(), bucket ? "check ATHANOR_BACKUP_S3_ENDPOINT,"
                    + " ATHANOR_BACKUP_S3_BUCKET, ATHANOR_BACKUP_S3_REGION, ATHANOR_BACKUP_S3_ACCESS_KEY_ID and"
                    + " ATHANOR_BACKUP_S3_SECRET_ACCESS_KEY in /etc/athanor/athanor.env (the bucket must exist; the"
                    + " keys need list, read, write and delete on it), then ops backup run"
                    : "install -d -o athanor -g athanor -m 0750 " + storage.getDirectory().toAbsolutePath()
                            + ", or set ATHANOR_BACKUP_DIR in /etc/athanor/athanor.env");
        }
    }

    Finding smtp() {
        SmtpFactory smtp = configuration.getSmtp();
        if (!smtp.isConfigured()) {
            return Finding.warn("smtp", "no mail server: alerts are written to files under "
                    + configuration.getAlerts().getStateDirectory().resolve("outbox"), "set SMTP_HOST, SMTP_USER,"
                            + " SMTP_PASSWORD and ATHANOR_ALERT_EMAIL in /etc/athanor/athanor.env");
        }
        try {
            smtp.build().checkLogin();
            return Finding.ok("smtp", "logged in to " + smtp.build().describe());
        } catch (Exception e) {
            return Finding.fail("smtp", smtp.build().describe() + ": " + firstLine(e), "check SMTP_HOST, SMTP_PORT,"
                    + " SMTP_USER and SMTP_PASSWORD (SES: the SMTP credentials, not the IAM keys)");
        }
    }

    Finding clock() {
        Optional<String> synced = run(List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value"));
        if (synced.isEmpty()) {
            return Finding.warn("clock", "cannot tell whether the clock is in sync (no timedatectl answer)",
                    "apt-get install systemd-timesyncd && timedatectl set-ntp true");
        }
        return synced.get().strip().equals("yes") ? Finding.ok("clock", "in sync (NTP)")
                : Finding.fail("clock", "not synchronized: certificates and TLS depend on the time",
                        "timedatectl set-ntp true (apt-get install systemd-timesyncd)");
    }

    /** Runs {@code command}; its standard output when it ran at all (any exit code), else empty. */
    static Optional<String> run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 || !output.isBlank() ? Optional.of(output) : Optional.of("");
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
