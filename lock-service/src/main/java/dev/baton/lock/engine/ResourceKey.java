package dev.baton.lock.engine;

/**
 * A lock, semaphore or election.
 *
 * @param kind its kind
 * @param name its name, unique within the kind
 */
public record ResourceKey(LeaseKind kind, String name) {}
