package dev.athanor.backup.pitr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How pgBackRest and Athanor reach one PostgreSQL cluster on this machine: its data directory, the Unix socket it
 * listens in, a superuser (with a password for the embedded cluster; a system cluster's {@code postgres} signs in by
 * peer), the words that run a command as the OS user that owns it, and where its programs are.
 *
 * @param description for messages, such as "embedded PostgreSQL in ./data/postgres"
 * @param serverBin the directory of {@code postgres}, {@code pg_ctl} and {@code initdb} for this cluster's version
 * @param clientBin the directory of {@code psql}
 * @param embedded whether Athanor's embedded default (restarted by Athanor) rather than a system cluster
 */
public record Cluster(String description, Path dataDirectory, Path socketDirectory, int port, String superuser,
        Optional<String> password, List<String> runAs, Path serverBin, Path clientBin, boolean embedded) {

    public Cluster {
        runAs = List.copyOf(runAs);
    }

    /** The same cluster's programs and users, for another data directory on another port (a scratch restore). */
    public Cluster elsewhere(String description, Path dataDirectory, Path socketDirectory, int port) {
        return new Cluster(description, dataDirectory, socketDirectory, port, superuser, password, runAs, serverBin,
                clientBin, embedded);
    }

    /** {@code command} to run as the cluster's OS user, with the superuser's password in its environment. */
    ProcessBuilder command(List<String> command) {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full);
        password.ifPresent(secret -> builder.environment().put("PGPASSWORD", secret));
        builder.environment().remove("PGHOST");
        builder.environment().remove("PGPORT");
        return builder;
    }

    /**
     * Runs {@code sql} in {@code database} as the superuser and returns psql's unaligned output (one row a line,
     * fields split by {@code |}). A superuser with a password (the embedded cluster's) connects over 127.0.0.1, which
     * the server listens on before its socket exists; one without signs in by peer through the socket.
     */
    public String sql(String database, String sql) throws PitrException {
        String host = password.isPresent() ? "127.0.0.1" : socketDirectory.toString();
        return run(List.of(clientBin.resolve("psql").toString(), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", Integer.toString(port), "-U", superuser, "-d", database,
                "-c", sql), Duration.ofMinutes(5), "psql on " + description);
    }

    /**
     * Runs {@code command} as the cluster's OS user; its standard output, or a {@link PitrException} naming what
     * failed with the end of what it said. Output goes through files, so that a program that leaves a child behind
     * (a server it started) cannot hold the wait past {@code timeout}, and warnings on standard error (a collation
     * version mismatch, say) never mix into the output that is read.
     */
    String run(List<String> command, Duration timeout, String what) throws PitrException {
        java.nio.file.Path out = null;
        java.nio.file.Path err = null;
        try {
            out = java.nio.file.Files.createTempFile("athanor-pitr-", ".out");
            err = java.nio.file.Files.createTempFile("athanor-pitr-", ".err");
            Process process = command(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PitrException(what + " did not finish within " + timeout.toSeconds() + " s",
                        PitrException.FAILED);
            }
            String text = java.nio.file.Files.readString(out, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                String said = (text + "\n" + java.nio.file.Files.readString(err, StandardCharsets.UTF_8)).strip();
                throw new PitrException(what + " failed (exit " + process.exitValue() + ")"
                        + (said.isEmpty() ? "" : ": " + lastLines(said, 6)), PitrException.FAILED);
            }
            return text;
        } catch (IOException e) {
            throw new PitrException("could not run " + command.get(0) + ": " + e.getMessage(), PitrException.FAILED,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException(what + " was interrupted", PitrException.FAILED, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        try {
            if (file != null) {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary file left in /tmp
        }
    }

    static String lastLines(String text, int count) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
