package dev.baton.registry.catalog;

import java.util.List;

/**
 * One service's instances, healthy or not, and its index.
 *
 * @param index the service's index, or the catalog's when the service has no instances
 */
record Listing(long index, List<Instance> instances) {}
