package dev.baton.lock.api;

import dev.baton.lock.engine.Holder;
import dev.baton.lock.engine.Snapshot;
import java.util.List;

/**
 * A lock, semaphore or election as inspection shows it. Lease ids are not shown: only holders
 * may renew or release their leases.
 *
 * @param name its name
 * @param holders its valid leases, in token order
 * @param waiters how many requests wait for it
 * @param lastToken the last fencing token issued for it
 * @param permitLimit a semaphore's limit
 * @param index its version, for blocking queries
 */
record ResourceView(String name, List<Holder> holders, int waiters, long lastToken, Integer permitLimit, long index) {

    public static ResourceView of(Snapshot snapshot) {
        return new ResourceView(
                snapshot.resource().name(),
                snapshot.holders(),
                snapshot.waiters(),
                snapshot.lastToken(),
                snapshot.permitLimit(),
                snapshot.version());
    }
}
