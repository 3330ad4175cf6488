package dev.baton.lock.engine;

/**
 * One resource in a listing.
 *
 * @param name its name
 * @param holders how many valid leases it has
 * @param waiters how many requests wait for it
 * @param lastToken the last fencing token issued for it
 */
public record Summary(String name, int holders, int waiters, long lastToken) {}
