package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Password hashing never runs more than its slots at once, lets a few wait briefly, and refuses the rest. */
class HashingPoolTest {

    @Test
    void sizedFromTheHeapAndTheProcessors() {
        long hash = Passwords.Cost.OWASP_MINIMUM.bytes();
        assertThat(HashingPool.sizedFor(256L << 20, 1, hash, Duration.ZERO).slots()).as("the unit's heap, one core")
                .isEqualTo(1);
        assertThat(HashingPool.sizedFor(256L << 20, 8, hash, Duration.ZERO).slots())
                .as("a quarter of 256 MiB holds three hashes").isEqualTo(3);
        assertThat(HashingPool.sizedFor(4L << 30, 2, hash, Duration.ZERO).slots()).as("no more than the cores")
                .isEqualTo(2);
        assertThat(HashingPool.sizedFor(32L << 20, 4, hash, Duration.ZERO).slots()).as("always one")
                .isEqualTo(1);
    }

    @Test
    void atMostItsSlotsRunAtOnceAndTheQueueIsBounded() throws Exception {
        HashingPool pool = new HashingPool(2, Duration.ofSeconds(30));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(40);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(callers.submit(() -> {
                    try {
                        return pool.run(() -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            await(release);
                            running.decrementAndGet();
                            return 1;
                        });
                    } catch (PasswordsBusy busy) {
                        return 0;
                    }
                }));
            }
            // 2 running and 16 waiting: the other 22 are refused at once, without waiting for the release.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (refused(results) < 22 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(refused(results)).isEqualTo(22);
            release.countDown();
            int hashed = 0;
            for (Future<Integer> result : results) {
                hashed += result.get(10, TimeUnit.SECONDS);
            }
            assertThat(hashed).isEqualTo(18);
            assertThat(most.get()).isEqualTo(2);
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void aCallerWaitsNoLongerThanThePatience() throws Exception {
        HashingPool pool = new HashingPool(1, Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Thread holder = new Thread(() -> pool.run(() -> {
            started.countDown();
            await(release);
            return null;
        }));
        holder.start();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.run(() -> "never")).isInstanceOf(PasswordsBusy.class)
                    .satisfies(busy -> assertThat(((PasswordsBusy) busy).getResponse().getHeaderString("Retry-After"))
                            .isEqualTo("2"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        } finally {
            release.countDown();
            holder.join();
        }
        assertThat(pool.run(() -> "free again")).isEqualTo("free again");
    }

    private static int refused(List<Future<Integer>> results) throws Exception {
        int refused = 0;
        for (Future<Integer> result : results) {
            if (result.isDone()) {
                refused += 1 - result.get();
            }
        }
        return refused;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
