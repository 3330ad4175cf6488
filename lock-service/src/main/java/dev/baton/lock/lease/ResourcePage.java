package dev.baton.lock.lease;

import java.util.List;

/**
 * A page of a listing.
 *
 * @param items the resources, in name order
 * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
 */
public record ResourcePage(List<LeaseStore.Summary> items, String nextCursor) {
}
