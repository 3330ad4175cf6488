package dev.baton.lock.api;

import dev.baton.lock.engine.Summary;
import java.util.List;

/**
 * A page of a listing.
 *
 * @param items the resources, in name order
 * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
 * @param leases the valid leases of every resource under the prefix, on every page
 */
record ResourcePage(List<Summary> items, String nextCursor, long leases) {}
