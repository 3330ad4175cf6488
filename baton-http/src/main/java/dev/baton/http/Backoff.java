package dev.baton.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the wait before retry {@code n} (from 1) is drawn at random
 * between half and all of {@code min(max, first × 2^(n-1))}, so that clients that failed together,
 * as after a database failover, do not all retry at the same moment. Immutable and thread-safe.
 *
 * @param first the longest wait before the first retry
 * @param max the longest wait before any retry
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < first <= max, got first " + first + ", max " + max);
        }
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
}
