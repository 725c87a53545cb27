package dev.athanor.platform.db;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What this node hears of changes to learners, so what it keeps of them in memory ({@link LearnerCache}: sessions,
 * access, progress) is never older than a second. Triggers on the learner tables NOTIFY the channel {@value #CHANNEL}
 * with {@code learner:ID} or {@code progress:ID} (migration V30) when a change commits; the site's listener
 * (PageCacheInvalidation) passes each payload to {@link #heard}, and proves the connection alive with a round trip at
 * least every {@link #PING_MILLIS} ms through {@link #confirmed}.
 *
 * <p>Kept copies are trusted only while those proofs are fresh: a listener that has not confirmed its connection for
 * {@link #TRUSTED_MILLIS} ms (a lost connection, a hung network, a process that is not the site, such as {@code ops})
 * makes every cache read the database again, and when it listens again nothing kept before counts. A copy records
 * the moment ({@link #mark}) before it was read; a change to its learner heard after that moment makes it stale, so a
 * read that raced a change cannot outlive it.
 */
public final class LearnerChanges {

    /** The NOTIFY channel the triggers announce on. */
    public static final String CHANNEL = "athanor_learners";
    /** The payload that makes everything kept stale: the learner tables were emptied (TRUNCATE). */
    public static final String EVERYTHING = "*";
    /** How often the listener proves its connection alive when nothing is heard. */
    public static final long PING_MILLIS = 250;
    /** How long after its last proof the listener's silence still means nothing changed. */
    static final long TRUSTED_MILLIS = 750;
    /** Learners whose change moments are remembered; beyond it those older than any copy are forgotten. */
    private static final int MAX_REMEMBERED = 100_000;
    /** Longer than any {@link LearnerCache} keeps a copy: a change heard this long ago can make none stale. */
    private static final long REMEMBERED_NANOS = Duration.ofMinutes(11).toNanos();

    /** When a learner's change was heard: the moment, and the time. */
    private record Heard(long moment, long nanos) {
    }

    private final LongSupplier nanoTime;
    private final AtomicLong moments = new AtomicLong();
    private final Map<String, Heard> changedAt = new ConcurrentHashMap<>();
    /** Copies marked before this moment do not count: the listener was not listening when they were read. */
    private volatile long trustedFrom = Long.MAX_VALUE;
    private volatile long confirmedAtNanos;

    public LearnerChanges() {
        this(System::nanoTime);
    }

    LearnerChanges(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The moment to record with a copy about to be read, or -1 when nothing read now may be kept. */
    long mark() {
        return trusted() ? moments.get() : -1;
    }

    /** Whether a copy of {@code key}'s learner ({@code learner:7}), read at {@code mark}, is still true. */
    boolean stillTrue(String key, long mark) {
        if (mark < trustedFrom || !trusted()) {
            return false;
        }
        Heard changed = changedAt.get(key);
        return changed == null || changed.moment() <= mark;
    }

    /** A notification's payload ({@code learner:7}) heard by the listener. */
    public void heard(String key) {
        long now = nanoTime.getAsLong();
        changedAt.put(key, new Heard(moments.incrementAndGet(), now));
        if (key.equals(EVERYTHING)) {
            forgetAll();
        } else if (changedAt.size() > MAX_REMEMBERED) {
            changedAt.values().removeIf(heard -> now - heard.nanos() > REMEMBERED_NANOS);
            if (changedAt.size() > MAX_REMEMBERED) {
                forgetAll();
            }
        }
    }

    /**
     * This node changed {@code learnerId}'s progress, or (when {@code progressOnly} is false) anything of them: what it
     * keeps of them is stale now, before the database says so.
     */
    public void changedHere(long learnerId, boolean progressOnly) {
        heard("progress:" + learnerId);
        if (!progressOnly) {
            heard("learner:" + learnerId);
        }
    }

    /** The listener (again) listens: nothing kept before now counts. */
    public void listening() {
        forgetAll();
        confirmed(nanoTime.getAsLong());
    }

    /**
     * The listener's round trip that started at {@code startedNanos} came back: every change committed before then
     * has been heard.
     */
    public void confirmed(long startedNanos) {
        confirmedAtNanos = startedNanos;
    }

    /** The listener lost its connection: nothing kept counts until it listens again. */
    public void deaf() {
        trustedFrom = Long.MAX_VALUE;
    }

    private boolean trusted() {
        return trustedFrom != Long.MAX_VALUE
                && nanoTime.getAsLong() - confirmedAtNanos < TRUSTED_MILLIS * 1_000_000L;
    }

    private void forgetAll() {
        trustedFrom = Long.MAX_VALUE;
        changedAt.clear();
        trustedFrom = moments.incrementAndGet();
    }
}
