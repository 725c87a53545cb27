package dev.athanor.ops.testing;

import dev.athanor.ops.Ops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A long-running {@code ops} command ({@code health --watch}, {@code logs --follow}) on a thread of the test JVM: its
 * output can be read while it runs, and {@link #close} interrupts it as Ctrl-C would and waits for it to end.
 */
public final class BackgroundOps implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final Thread thread;

    public BackgroundOps(String... args) {
        thread = new Thread(() -> exitCode.set(Ops.commandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                args).execute(args)), "ops " + String.join(" ", args));
        thread.setDaemon(true);
        thread.start();
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /** Waits until the output satisfies {@code condition} or {@code deadline} passes; returns whether it did. */
    public boolean awaitOut(Predicate<String> condition, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.test(out())) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.test(out());
    }

    /** Interrupts the command and returns its exit code. */
    public int stop() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("ops did not stop within 10 s: " + out() + err());
        }
        return exitCode.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }
}
