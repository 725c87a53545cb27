package dev.athanor.ops.nodes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.deploy.UnitFlags;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node of the test topology: the release's site ({@code athanor.jar server}) and its scheduler ({@code ops.jar
 * scheduler run}) as two processes, each run with the JVM flags of its systemd unit, on the node's own config.yml
 * and ports. Killed as {@code kill -9} does and started again by the same command; ended by the test, by handle.
 */
final class SiteNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SCHEDULER_ID = Pattern.compile("Scheduler node (\\S+) running");

    private final String name;
    private final Path release;
    private final Path config;
    private final Path directory;
    private final int port;
    private final int adminPort;
    private Process site;
    private Process scheduler;
    private int starts;

    SiteNode(String name, Path release, Path config, Path directory, int port, int adminPort) {
        this.name = name;
        this.release = release;
        this.config = config;
        this.directory = directory;
        this.port = port;
        this.adminPort = adminPort;
    }

    String name() {
        return name;
    }

    /** {@code http://127.0.0.1:PORT}: the site itself, not through nginx. */
    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:PORT}, as nginx's upstream names it. */
    String address() {
        return "127.0.0.1:" + port;
    }

    Path config() {
        return config;
    }

    /** Starts the site and the scheduler, as systemd would start athanor@.service and athanor-scheduler.service. */
    void start() throws Exception {
        starts++;
        List<String> siteCommand = java("athanor@.service");
        siteCommand.addAll(List.of("-jar", release.resolve("athanor.jar").toString(), "server", config.toString()));
        site = launch(siteCommand, siteLog());
        List<String> schedulerCommand = java("athanor-scheduler.service");
        schedulerCommand.addAll(List.of("-jar", release.resolve("ops.jar").toString(), "scheduler", "run",
                "--config", config.toString()));
        scheduler = launch(schedulerCommand, schedulerLog());
    }

    /** Waits until {@code /health} answers 200 on the site's own port and the scheduler says it runs. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!site.isAlive() || !scheduler.isAlive()) {
                throw new IllegalStateException(name + " exited before it was ready:\n" + tail(siteLog()) + "\n"
                        + tail(schedulerLog()));
            }
            if (status(base() + "/health") == 200 && schedulerId().isPresent()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s:\n" + tail(siteLog())
                + "\n" + tail(schedulerLog()));
    }

    /** The Quartz instance id of the scheduler's current run, once it has said it. */
    Optional<String> schedulerId() throws IOException {
        Matcher matcher = SCHEDULER_ID.matcher(Files.readString(schedulerLog()));
        String id = null;
        while (matcher.find()) {
            id = matcher.group(1);
        }
        return Optional.ofNullable(id);
    }

    /** SIGKILL to the site and the scheduler at once: no shutdown hook, no drain, no cleanup. */
    void kill() throws InterruptedException {
        site.destroyForcibly();
        scheduler.destroyForcibly();
        site.waitFor(10, TimeUnit.SECONDS);
        scheduler.waitFor(10, TimeUnit.SECONDS);
    }

    boolean siteAlive() {
        return site != null && site.isAlive();
    }

    /** Requests the site has answered since it started, from its admin port's metrics (0 when it does not answer). */
    long served() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + adminPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body()).path("timers")
                    .path("io.dropwizard.jetty.MutableServletContextHandler.requests").path("count").asLong();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : new Process[] {site, scheduler}) {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private List<String> java(String unit) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(UnitFlags.javaFlags(release.resolve("systemd").resolve(unit)));
        return command;
    }

    private Process launch(List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("ATHANOR_PORT", Integer.toString(port));
        builder.environment().put("ATHANOR_ADMIN_PORT", Integer.toString(adminPort));
        builder.environment().put("ATHANOR_RELEASE", release.toString());
        builder.environment().put("OPS_LOG_LEVEL", "INFO");
        return builder.start();
    }

    private Path siteLog() {
        return directory.resolve("site-" + starts + ".out");
    }

    private Path schedulerLog() {
        return directory.resolve("scheduler-" + starts + ".out");
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        return "== " + log.getFileName() + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25),
                lines.size()));
    }
}
