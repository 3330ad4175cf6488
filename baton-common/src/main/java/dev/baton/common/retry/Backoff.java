package dev.baton.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before a retry: doubling from {@code base} up to {@code cap}, each wait drawn
 * between half of that and all of it. The spread keeps replicas that lost the database together
 * (a failover, a restart) from coming back in lockstep. Thread-safe.
 */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;

    public Backoff(Duration base, Duration cap) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got " + base + " and " + cap);
        }
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** The wait before retry number {@code attempt}, counting from 1. */
    public long delayMillis(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
        long ceiling = Math.min(capMillis, baseMillis << doublings);
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1);
    }

    /** Sleeps {@link #delayMillis(int)}. */
    public void sleep(int attempt) throws InterruptedException {
        Thread.sleep(delayMillis(attempt));
    }
}
