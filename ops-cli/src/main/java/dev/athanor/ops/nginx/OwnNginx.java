package dev.athanor.ops.nginx;

import dev.athanor.monitoring.AtomicFiles;
import dev.athanor.monitoring.nginx.LocalNginx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The nginx ops runs itself in local mode, under {@code deploy.directory/nginx}: its configuration rendered there
 * before each test, started detached ({@code nginx -p PREFIX -e LOG -c CONF}) when its pid file names no running
 * master, reloaded with {@code -s reload}, stopped by its pid. nginx is the one on PATH.
 */
final class OwnNginx implements NginxServer {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TAKE_OVER = Duration.ofSeconds(10);

    private final LocalNginx configuration;
    private final String header;

    OwnNginx(LocalNginx configuration, String header) {
        this.configuration = configuration;
        this.header = header;
    }

    Path prefix() {
        return configuration.prefix().toAbsolutePath();
    }

    Path conf() {
        return prefix().resolve("nginx.conf");
    }

    /** The running master, if there is one. */
    Optional<Long> master() {
        return Workers.master(prefix().resolve("nginx.pid"))
                .filter(pid -> Workers.commandLine(pid).orElse("").contains(conf().toString()));
    }

    @Override
    public void test() throws NginxException {
        write();
        ProgramRun test = ProgramRun.of(command("-t"), COMMAND_TIMEOUT);
        if (!test.succeeded()) {
            throw new NginxException("nginx refused the configuration (" + conf() + "): " + test.errorLines());
        }
    }

    @Override
    public void reload() throws NginxException {
        Optional<Long> master = master();
        if (master.isEmpty()) {
            start();
            return;
        }
        Set<Long> before = Workers.of(master.get());
        ProgramRun reload = ProgramRun.of(command("-s", "reload"), COMMAND_TIMEOUT);
        if (!reload.succeeded()) {
            throw new NginxException("nginx did not reload: " + reload.errorLines());
        }
        Workers.awaitNewGeneration(master.get(), before, TAKE_OVER);
    }

    /** Stops it, if it runs: SIGTERM to the master by its pid, then a kill after ten seconds. */
    void stop() throws NginxException {
        Optional<ProcessHandle> master = master().flatMap(ProcessHandle::of);
        if (master.isEmpty()) {
            return;
        }
        master.get().destroy();
        try {
            master.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            master.get().descendants().forEach(ProcessHandle::destroyForcibly);
            master.get().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NginxException("interrupted while stopping nginx", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NginxException("could not stop nginx: " + e.getMessage(), e);
        }
    }

    private void start() throws NginxException {
        ProgramRun start = ProgramRun.of(command(), COMMAND_TIMEOUT); // daemonises: returns once the master runs
        if (!start.succeeded()) {
            throw new NginxException("nginx did not start on 127.0.0.1:" + configuration.port() + ": "
                    + start.errorLines());
        }
        long deadline = System.nanoTime() + TAKE_OVER.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", configuration.port()), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new NginxException("nginx started but does not answer on 127.0.0.1:" + configuration.port()
                + "; see " + prefix().resolve("logs/error.log"));
    }

    private void write() throws NginxException {
        try {
            for (String directory : List.of("logs", "temp")) {
                Files.createDirectories(prefix().resolve(directory));
            }
            AtomicFiles.write(conf(), configuration.render(header).getBytes(StandardCharsets.UTF_8),
                    AtomicFiles.PUBLIC);
        } catch (IOException e) {
            throw new NginxException("could not write " + conf() + ": " + e.getMessage(), e);
        }
    }

    private List<String> command(String... arguments) throws NginxException {
        List<String> command = new ArrayList<>(List.of(binary(), "-p", prefix() + "/", "-e",
                prefix().resolve("logs/error.log").toString(), "-c", conf().toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** nginx on PATH (a stand-in put first there wins), else where distributions install it. */
    static String binary() throws NginxException {
        List<Path> candidates = new ArrayList<>();
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty()) {
                candidates.add(Path.of(directory, "nginx"));
            }
        }
        candidates.addAll(List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
                Path.of("/usr/local/nginx/sbin/nginx")));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new NginxException("nginx is not installed (apt-get install nginx); local mode"
                        + " runs its own nginx in front of the instances"));
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
