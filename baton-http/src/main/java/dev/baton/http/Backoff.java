package dev.baton.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the wait before retry {@code n} (from 1) is drawn at random
 * between half and all of {@code min(max, first × 2^(n-1))}, so that clients or replicas that
 * failed together, as after a database failover, do not all retry at the same moment. Immutable
 * and thread-safe.
 */
public class Backoff {

    private final Duration first;
    private final Duration max;

    /**
     * @param first the longest wait before the first retry
     * @param max the longest wait before any retry
     */
    public Backoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < first <= max, got first " + first + ", max " + max);
        }
        this.first = first;
        this.max = max;
    }

    /** The longest wait before the first retry. */
    public Duration first() {
        return first;
    }

    /** The longest wait before any retry. */
    public Duration max() {
        return max;
    }

    /** The wait before retry {@code retry}, counted from 1. */
    public Duration delay(int retry) {
        long cap = max.toNanos();
        long base = first.toNanos();
        int doublings = Math.max(0, retry - 1);
        long bound = doublings >= Long.SIZE - 1 || base > cap >> doublings ? cap : base << doublings;
        long half = bound / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(bound - half + 1));
    }

    /** {@link #delay(int)} in whole milliseconds. */
    public long delayMillis(int retry) {
        return delay(retry).toMillis();
    }

    /** Sleeps {@link #delay(int)}. */
    public void sleep(int retry) throws InterruptedException {
        Duration wait = delay(retry);
        Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
    }

    @Override
    public String toString() {
        return "Backoff[first=" + first + ", max=" + max + "]";
    }
}
