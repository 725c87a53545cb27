package dev.athanor.accounts;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds password hashing, the one piece of anonymous work that needs tens of MiB of heap: at most {@code slots}
 * hashes run at once (on the callers' threads), a few more callers wait briefly for a slot, and the rest are refused
 * at once with {@link PasswordsBusy} (503 with Retry-After). So a burst of sign-ins costs queueing, never the heap.
 */
final class HashingPool {

    private static final Logger LOG = LoggerFactory.getLogger(HashingPool.class);
    /** Heap given to hashing at most: the rest is the page cache's, requests' and the framework's. */
    private static final double HEAP_SHARE = 0.25;
    /** Callers that may wait for a slot, per slot; more are refused without waiting. */
    private static final int WAITING_PER_SLOT = 8;

    private final int slots;
    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiting;
    private final Duration patience;

    HashingPool(int slots, Duration patience) {
        if (slots < 1) {
            throw new IllegalArgumentException("a hashing pool needs a slot, not " + slots);
        }
        this.slots = slots;
        this.running = new Semaphore(slots, true);
        this.maxWaiting = slots * WAITING_PER_SLOT;
        this.patience = patience;
    }

    /**
     * As many slots as there are processors (hashing is CPU-bound) and as a quarter of the heap holds hashes of
     * {@code bytesPerHash} (with a tenth more for the hasher's own objects), and at least one.
     */
    static HashingPool sizedFor(long maxHeapBytes, int processors, long bytesPerHash, Duration patience) {
        long fit = (long) (maxHeapBytes * HEAP_SHARE / (bytesPerHash * 1.1));
        int slots = (int) Math.max(1, Math.min(processors, fit));
        LOG.info("Password hashing: {} at once ({} MiB each, heap {} MiB, {} processors)", slots,
                bytesPerHash >> 20, maxHeapBytes >> 20, processors);
        return new HashingPool(slots, patience);
    }

    int slots() {
        return slots;
    }

    /** Runs {@code hashing} in a slot, waiting up to the pool's patience for one. */
    <T> T run(Supplier<T> hashing) {
        if (!running.tryAcquire()) {
            awaitSlot();
        }
        try {
            return hashing.get();
        } finally {
            running.release();
        }
    }

    private void awaitSlot() {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            throw new PasswordsBusy();
        }
        try {
            if (!running.tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PasswordsBusy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PasswordsBusy();
        } finally {
            waiting.decrementAndGet();
        }
    }
}
