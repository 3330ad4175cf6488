package dev.baton.lock.lease;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Housekeeping on one replica at a time: removes expired leases and abandoned waiters (a waiter
 * whose replica died) from resources that no live request is waiting on, and grants whoever can
 * go. Waiters never depend on it: each replica arms a timer at its waiters' next expiry.
 */
@Component
class LeaseSweeper {

    private static final int BATCH = 500;

    private final LeaseStore store;
    private final LeaseService service;

    LeaseSweeper(LeaseStore store, LeaseService service) {
        this.store = store;
        this.service = service;
    }

    @Scheduled(fixedDelayString = "${baton.leases.sweep-interval:1s}")
    @SchedulerLock(name = "lease-sweeper", lockAtMostFor = "PT30S")
    void sweep() {
        store.resourcesToSweep(BATCH).forEach(service::reconcile);
    }
}
