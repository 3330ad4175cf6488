package dev.baton.registry.catalog;

/**
 * A service and its counts.
 *
 * @param instances every instance still registered, expired ones included
 * @param healthy instances whose lease is valid
 */
record ServiceSummary(String name, long instances, long healthy) {}
