package dev.athanor.backup.pitr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A restored cluster started to replay the archived log: {@link #recover} starts it on its own port (127.0.0.1) and
 * socket, waits until recovery has reached its target and the server is promoted, and says where it stopped;
 * {@link #close} stops it. Its log goes to {@code recovery.log} in the data directory (the one place its OS user
 * surely may write).
 */
public final class RestoredServer implements AutoCloseable {

    private static final Pattern STOPPED_AT = Pattern.compile(
            "(?:last completed transaction was at log time|recovery stopping (?:before|after) commit of transaction"
                    + " \\d+, time) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?[+-]\\d\\d)");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSSSS][.SSSS][.SSS][.SS][.S]X");

    private final Cluster cluster;
    private final Path log;
    private boolean running;

    private RestoredServer(Cluster cluster, Path log) {
        this.cluster = cluster;
        this.log = log;
    }

    /**
     * Starts {@code cluster}'s restored data directory and waits up to {@code timeout} for recovery to end.
     *
     * @throws PitrException when the server stops during recovery (the target was not reached, a segment is
     *     missing) or recovery does not end in time; the message has the end of PostgreSQL's log
     */
    public static RestoredServer recover(Cluster cluster, Duration timeout) throws PitrException {
        RestoredServer server = new RestoredServer(cluster, cluster.dataDirectory().resolve("recovery.log"));
        try {
            server.start(timeout);
            server.awaitPromotion(timeout);
            return server;
        } catch (PitrException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public Cluster cluster() {
        return cluster;
    }

    /** The commit time of the last transaction replayed, as PostgreSQL logged it at the end of recovery. */
    public Optional<Instant> lastTransaction() {
        Optional<Instant> last = Optional.empty();
        for (String line : logLines()) {
            Matcher matcher = STOPPED_AT.matcher(line);
            if (matcher.find()) {
                try {
                    last = Optional.of(OffsetDateTime.parse(matcher.group(1), LOG_TIME).toInstant());
                } catch (DateTimeParseException e) {
                    // a line in another format: keep what was found before
                }
            }
        }
        return last;
    }

    /**
     * A system cluster's configuration lives outside its data directory (Debian: /etc/postgresql/15/main), so its
     * restored copy has none: it gets the least that starts it, peer sign-in on its socket and passwords on 127.0.0.1.
     */
    private void provideConfiguration() throws PitrException {
        Path data = cluster.dataDirectory();
        try {
            java.nio.file.attribute.UserPrincipal owner = Files.getOwner(data);
            java.util.Map<String, String> files = java.util.Map.of("postgresql.conf", "",
                    "pg_hba.conf", "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n", "pg_ident.conf", "");
            for (java.util.Map.Entry<String, String> file : files.entrySet()) {
                Path path = data.resolve(file.getKey());
                if (!Files.exists(path)) {
                    Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                    Files.setOwner(path, owner);
                }
            }
        } catch (IOException e) {
            throw new PitrException("could not give the restored cluster a configuration: " + e.getMessage(),
                    PitrException.FAILED, e);
        }
    }

    private void start(Duration timeout) throws PitrException {
        provideConfiguration();
        String options = String.join(" ", "-p", Integer.toString(cluster.port()), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + cluster.socketDirectory(), "-c", "shared_buffers=32MB");
        try {
            cluster.run(List.of(cluster.serverBin().resolve("pg_ctl").toString(), "start", "--pgdata="
                    + cluster.dataDirectory(), "--log=" + log, "--wait", "--timeout=" + timeout.toSeconds(),
                    "--silent", "-o", options), timeout.plusSeconds(10), "pg_ctl start");
            running = true;
        } catch (PitrException e) {
            running = Files.exists(cluster.dataDirectory().resolve("postmaster.pid"));
            throw new PitrException("the restored cluster did not start: " + e.getMessage() + logTail(),
                    PitrException.FAILED, e);
        }
    }

    private void awaitPromotion(Duration timeout) throws PitrException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PitrException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if ("f".equals(cluster.sql("postgres", "SELECT pg_is_in_recovery()"))) {
                    return;
                }
            } catch (PitrException e) {
                last = e;
                if (!Files.exists(cluster.dataDirectory().resolve("postmaster.pid"))) {
                    running = false;
                    throw new PitrException("recovery stopped the server" + logTail(), PitrException.FAILED, e);
                }
            }
            pause();
        }
        throw new PitrException("recovery did not end within " + timeout.toSeconds() + " s"
                + (last == null ? "" : " (" + last.getMessage() + ")") + logTail(), PitrException.FAILED);
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private String logTail() {
        List<String> lines = logLines().stream().filter(line -> line.contains("FATAL") || line.contains("ERROR")
                || line.contains("LOG:  recovery") || line.contains("LOG:  redo")).toList();
        return lines.isEmpty() ? "" : "; PostgreSQL's log (" + log + "): "
                + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server (fast shutdown); does nothing when it is not running. */
    @Override
    public void close() {
        if (!running && !Files.exists(cluster.dataDirectory().resolve("postmaster.pid"))) {
            return;
        }
        try {
            cluster.run(List.of(cluster.serverBin().resolve("pg_ctl").toString(), "stop", "--pgdata="
                    + cluster.dataDirectory(), "--mode=fast", "--wait", "--timeout=60", "--silent"),
                    Duration.ofSeconds(70), "pg_ctl stop");
        } catch (PitrException e) {
            // already stopped, or it will be found by the next start: nothing more to do here
        }
        running = false;
    }
}
