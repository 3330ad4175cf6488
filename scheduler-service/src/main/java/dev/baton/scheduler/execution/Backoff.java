package dev.baton.scheduler.execution;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a loop waits before its next try after consecutive failures: {@code first} doubled at
 * each failure up to {@code max}, then a random point in the upper half of that ("equal jitter"),
 * so that replicas which failed together, as after a database failover, do not retry in lockstep.
 */
record Backoff(Duration first, Duration max) {

    /** The wait before the try after {@code failures} failures in a row, from 1. */
    Duration after(int failures) {
        long cap = max.toMillis();
        long grown = first.toMillis() << Math.min(Math.max(failures - 1, 0), 30);
        long ceiling = grown <= 0 || grown > cap ? cap : grown;
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1));
    }
}
