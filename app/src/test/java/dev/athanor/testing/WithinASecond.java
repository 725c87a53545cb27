package dev.athanor.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * Waits for what a change made behind the site's back (SQL, as another node or {@code ops} would) must show within a
 * second: the site keeps learners in memory and hears of such changes through the database, a moment after they
 * commit.
 */
public final class WithinASecond {

    private WithinASecond() {
    }

    /** Polls {@code condition} until it holds; fails, naming {@code what}, if it does not within a second. */
    public static void until(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
