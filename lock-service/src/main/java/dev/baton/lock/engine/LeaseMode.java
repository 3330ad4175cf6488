package dev.baton.lock.engine;

/** How a lease shares its resource with others. */
public enum LeaseMode {

    /** The only lease on a lock; also a leader's lease on an election. */
    EXCLUSIVE,

    /** One of any number of readers of a lock; excludes every {@link #EXCLUSIVE} lease. */
    SHARED,

    /** Some of a semaphore's permits. */
    PERMITS
}
