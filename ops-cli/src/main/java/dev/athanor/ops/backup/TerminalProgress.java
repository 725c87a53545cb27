package dev.athanor.ops.backup;

import dev.athanor.backup.TransferProgress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on the terminal's error stream (bytes in MiB, rate, elapsed time, and the time left when the total is
 * known), drawn by the progressbar library. Without a terminal, or with {@code --json}, nothing is drawn.
 */
public final class TerminalProgress implements TransferProgress {

    private final PrintStream stream;
    private ProgressBar bar;

    private TerminalProgress(PrintStream stream) {
        this.stream = stream;
    }

    /** A progress bar when a person is watching, else silence. */
    public static TransferProgress forRun(boolean json) {
        return System.console() != null && !json ? new TerminalProgress(System.err) : TransferProgress.NONE;
    }

    @Override
    public void start(String task, long totalBytes) {
        done();
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes)
                .setUnit(" MiB", 1024 * 1024)
                .showSpeed()
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(stream))
                .build();
    }

    @Override
    public void advance(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void done() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
