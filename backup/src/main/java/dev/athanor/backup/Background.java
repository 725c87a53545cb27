package dev.athanor.backup;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Work started beside the caller's, on a daemon thread of its own, named for thread dumps. */
public final class Background {

    private Background() {
    }

    /** Runs {@code task} on a new daemon thread; its result, or whatever it threw, completes the future. */
    public static <T> CompletableFuture<T> supply(String threadName, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
