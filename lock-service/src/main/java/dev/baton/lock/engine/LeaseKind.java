package dev.baton.lock.engine;

/** What a lease is on: each kind has its own namespace of names. */
public enum LeaseKind {
    LOCK,
    SEMAPHORE,
    ELECTION
}
