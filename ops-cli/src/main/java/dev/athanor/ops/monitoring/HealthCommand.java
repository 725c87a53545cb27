package dev.athanor.ops.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.MonitoringFactory;
import dev.athanor.monitoring.health.HealthHistory;
import dev.athanor.monitoring.health.HealthProbe;
import dev.athanor.monitoring.health.HealthReport;
import dev.athanor.monitoring.health.HealthState;
import dev.athanor.monitoring.health.HealthWatch;
import dev.athanor.ops.shared.ConfigFileException;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ops health [URL...]}: polls the site's public readiness URL and the admin port's named checks, with timeouts.
 * Exit 0 healthy, 1 degraded (an admin check fails or the admin port is silent), 2 down (a public URL does not answer
 * 200). With {@code --watch} it polls on an interval and alerts on changes of state only.
 */
@Command(name = "health", description = {"Poll the site's /health and admin checks; exit 0 healthy, 1 degraded,"
        + " 2 down.", "With --watch: poll every --interval and alert when the state changes (down, recovered)."})
public final class HealthCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "Public health URLs to poll (default:"
            + " monitoring.healthUrls, else the site's own /health).")
    private List<URI> urls = new ArrayList<>();

    @Option(names = "--admin", paramLabel = "URL", description = "The admin port's base URL (default:"
            + " monitoring.adminUrl, else from server.adminConnectors).")
    private String admin;

    @Option(names = "--no-admin", description = "Do not ask the admin port (checking another host's public URL).")
    private boolean noAdmin;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "For each request (default: monitoring.timeout, 5s).")
    private Duration timeout;

    @Option(names = "--watch", description = "Keep polling and alert on changes of state; stop with Ctrl-C.")
    private boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Between polls with --watch (default: monitoring.watchInterval, 30s).")
    private Duration interval;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        AthanorConfiguration configuration = config.load();
        MonitoringFactory monitoring = configuration.getMonitoring();
        List<URI> targets = urls.isEmpty() ? SiteAddresses.healthUrls(configuration) : urls;
        if (targets.isEmpty()) {
            throw new ConfigFileException("no health URL: give one, or set monitoring.healthUrls (the site's port"
                    + " is not fixed in config.yml)");
        }
        Optional<URI> checks = noAdmin ? Optional.empty()
                : Optional.ofNullable(admin).map(url -> url.replaceAll("/+$", ""))
                        .or(() -> SiteAddresses.adminUrl(configuration)).map(base -> URI.create(base + "/healthcheck"));
        HealthProbe probe = new HealthProbe(timeout == null ? monitoring.getTimeout() : timeout, Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        if (watch) {
            Duration every = interval == null ? monitoring.getWatchInterval() : interval;
            out.println("Watching " + targets + checks.map(uri -> " and " + uri).orElse("") + " every "
                    + every.toMillis() + " ms; alerts go to " + String.join(", ", configuration.getAlerts()
                            .build(configuration.getSmtp()).destinations()));
            out.flush();
            HealthWatch healthWatch = new HealthWatch(() -> probe.probe(targets, checks),
                    configuration.getAlerts().build(configuration.getSmtp()),
                    new HealthHistory(monitoring.getStateDirectory()), monitoring.getConfirmations(), line -> {
                        out.println(line);
                        out.flush();
                    }, Clock.systemUTC());
            watchUntilStopped(healthWatch, every);
            return 0;
        }
        HealthReport report = probe.probe(targets, checks);
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("state", report.state());
            result.put("at", report.at());
            result.put("endpoints", report.endpoints());
            result.put("checks", report.checks());
            result.put("adminProblem", report.adminProblem());
            out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(result));
        } else {
            print(report, out, Terminal.detect());
        }
        return report.state().exitCode();
    }

    /**
     * Runs the watch on a thread of its own until this thread is interrupted or the JVM is asked to stop (SIGTERM from
     * systemd, Ctrl-C); either way the poll in progress finishes first, so no alert is cut in half.
     */
    private static void watchUntilStopped(HealthWatch healthWatch, Duration every) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                healthWatch.run(every, stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "health-watch");
        Thread hook = new Thread(() -> {
            stop.countDown();
            joinQuietly(worker);
        }, "health-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            stop.countDown();
            joinQuietly(worker);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void joinQuietly(Thread worker) {
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void print(HealthReport report, PrintWriter out, Terminal terminal) {
        HealthState state = report.state();
        out.println(terminal.bySeverity(state.name(), state.name()) + "  " + report.summary());
        for (HealthReport.Endpoint endpoint : report.endpoints()) {
            String result = endpoint.up() ? "OK" : "FAIL";
            out.printf("  %-4s  %-40s %s%n", terminal.bySeverity(result, result), endpoint.url(),
                    endpoint.problem() != null ? endpoint.problem() : endpoint.status() + " in " + endpoint.millis()
                            + " ms");
        }
        for (HealthReport.Check check : report.checks()) {
            String result = check.healthy() ? "OK" : "FAIL";
            out.printf("  %-4s  %-40s %s%n", terminal.bySeverity(result, result), "check " + check.name(),
                    check.message());
        }
        if (report.adminProblem() != null) {
            out.printf("  %-4s  %s%n", terminal.bySeverity("WARN", "WARN"), report.adminProblem());
        }
    }
}
