package dev.baton.lock.engine;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Housekeeping on one replica at a time: settles resources with expired leases, waiters out of
 * time, or waiters of a dead replica, granting whoever can go. Local waiters never depend on it:
 * each replica arms a timer at its waiters' next expiry.
 *
 * <p>A replica paused or killed in the middle of a sweep keeps the sweep's lock until
 * {@code lockAtMostFor}, so that is short: 5 s, the default replica TTL after which the others
 * treat it as dead. A sweep that outlasts it meets another replica's, which is only work done
 * twice: every change is serialized per name and settling twice changes nothing more.
 */
@Component
class LeaseSweeper {

    private static final int BATCH = 500;

    private final LeaseEngine engine;

    LeaseSweeper(LeaseEngine engine) {
        this.engine = engine;
    }

    @Scheduled(fixedDelayString = "#{@'baton.leases-dev.baton.lock.engine.LeaseProperties'.sweepInterval().toMillis()}")
    @SchedulerLock(name = "lease-sweeper", lockAtMostFor = "PT5S")
    void sweep() {
        engine.sweep(BATCH);
    }
}
