package dev.baton.scheduler.execution;

import dev.baton.scheduler.SchedulerProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The room this replica has for executions: {@code max-in-flight} permits, one for each execution
 * being called or with an outcome waiting to be written. Whatever claims an execution takes its
 * permit first, and never waits for one: what finds no room is left for later, or for another
 * replica. Closed while the dispatcher is stopped, when nothing takes room.
 */
@Component
class Room {

    private final int size;
    private final Semaphore permits;
    private volatile boolean open;

    Room(SchedulerProperties properties, MeterRegistry meters) {
        this.size = properties.maxInFlight();
        this.permits = new Semaphore(size);
        Gauge.builder("baton.scheduler.executions.in-flight", permits, free -> size - free.availablePermits())
                .description("Executions this replica is calling workers for, or has outcomes to write of")
                .register(meters);
    }

    /** Takes up to {@code wanted} permits without waiting; returns how many, none while closed. */
    int take(int wanted) {
        while (open) {
            int free = Math.min(wanted, permits.availablePermits());
            if (free <= 0 || permits.tryAcquire(free)) {
                return Math.max(free, 0);
            }
        }
        return 0;
    }

    /** Gives back permits taken. */
    void give(int taken) {
        if (taken > 0) {
            permits.release(taken);
        }
    }

    /** Waits until some permit is free. */
    void awaitAny() throws InterruptedException {
        permits.acquire();
        permits.release();
    }

    /** Waits up to {@code wait} for every permit to be given back; returns how many are still out. */
    int awaitAll(Duration wait) throws InterruptedException {
        if (permits.tryAcquire(size, wait.toMillis(), TimeUnit.MILLISECONDS)) {
            permits.release(size);
            return 0;
        }
        return size - permits.availablePermits();
    }

    void open() {
        open = true;
    }

    void close() {
        open = false;
    }
}
