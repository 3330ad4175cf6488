package dev.baton.lock.engine;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Housekeeping on one replica at a time: settles resources with expired leases, waiters out of
 * time, or waiters of a dead replica, granting whoever can go. Local waiters never depend on it:
 * each replica arms a timer at its waiters' next expiry.
 */
@Component
class LeaseSweeper {

    private static final int BATCH = 500;

    private final LeaseEngine engine;

    LeaseSweeper(LeaseEngine engine) {
        this.engine = engine;
    }

    @Scheduled(fixedDelayString = "${baton.leases.sweep-interval:1s}")
    @SchedulerLock(name = "lease-sweeper", lockAtMostFor = "PT30S")
    void sweep() {
        engine.sweep(BATCH);
    }
}
