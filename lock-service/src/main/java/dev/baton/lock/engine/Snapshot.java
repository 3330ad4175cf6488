package dev.baton.lock.engine;

import java.util.List;

/**
 * What a resource looks like now.
 *
 * @param resource the resource
 * @param holders its valid leases, in token order
 * @param waiters how many requests wait for it
 * @param lastToken the last fencing token issued for it
 * @param permitLimit a semaphore's limit, else null
 * @param version grows with every change, for blocking queries
 */
public record Snapshot(
        ResourceKey resource, List<Holder> holders, int waiters, long lastToken, Integer permitLimit, long version) {}
