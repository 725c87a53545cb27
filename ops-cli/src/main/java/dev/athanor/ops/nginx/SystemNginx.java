package dev.athanor.ops.nginx;

import dev.athanor.monitoring.nginx.NginxFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The system's nginx on a server: tested and reloaded with {@code nginx.testCommand} and {@code nginx.reloadCommand}
 * ({@code nginx -t}, {@code systemctl reload nginx}); when its pid file ({@code nginx.pidFile}) names a running
 * master, a reload counts as done once the master's new workers have taken over.
 */
final class SystemNginx implements NginxServer {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TAKE_OVER = Duration.ofSeconds(10);

    private final NginxFactory settings;

    SystemNginx(NginxFactory settings) {
        this.settings = settings;
    }

    @Override
    public void test() throws NginxException {
        ProgramRun test = ProgramRun.of(settings.getTestCommand(), COMMAND_TIMEOUT);
        if (!test.succeeded()) {
            throw new NginxException("nginx refused the configuration (" + String.join(" ",
                    settings.getTestCommand()) + "): " + test.errorLines());
        }
    }

    @Override
    public void reload() throws NginxException {
        Optional<Long> master = Workers.master(settings.getPidFile());
        Set<Long> before = master.map(Workers::of).orElse(Set.of());
        ProgramRun reload = ProgramRun.of(settings.getReloadCommand(), COMMAND_TIMEOUT);
        if (!reload.succeeded()) {
            throw new NginxException("nginx did not reload (" + String.join(" ", settings.getReloadCommand())
                    + "): " + reload.errorLines());
        }
        if (master.isPresent()) {
            Workers.awaitNewGeneration(master.get(), before, TAKE_OVER);
        }
    }
}
