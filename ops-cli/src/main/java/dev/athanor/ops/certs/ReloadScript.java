package dev.athanor.ops.certs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What makes the web server read the new certificate: {@code certificates.reloadCommands}, run in order through
 * {@code /bin/sh -c} (by default {@code nginx -t}, then {@code systemctl reload nginx}), each bounded in time. The first
 * that fails stops the rest, so a broken nginx configuration is never reloaded.
 */
final class ReloadScript {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT = 4096;

    private final List<String> commands;

    ReloadScript(List<String> commands) {
        this.commands = List.copyOf(commands);
    }

    boolean isConfigured() {
        return !commands.isEmpty();
    }

    void run() throws ReloadFailedException, InterruptedException {
        for (String command : commands) {
            runOne(command);
        }
    }

    private static void runOne(String command) throws ReloadFailedException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new ReloadFailedException(command, 127, e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(process.getInputStream(), output), "reload-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new ReloadFailedException(command, -1, "");
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        if (process.exitValue() != 0) {
            throw new ReloadFailedException(command, process.exitValue(), text);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream output) {
        byte[] buffer = new byte[1024];
        try (in) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                synchronized (output) {
                    if (output.size() < MAX_OUTPUT) {
                        output.write(buffer, 0, Math.min(read, MAX_OUTPUT - output.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is enough
        }
    }
}
