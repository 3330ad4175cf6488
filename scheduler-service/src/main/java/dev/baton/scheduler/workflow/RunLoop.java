package dev.baton.scheduler.workflow;

import dev.baton.http.Backoff;
import dev.baton.scheduler.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's starts of due runs, on one thread: start what is due ({@link RunStarts}), then
 * wait until the earliest pending run falls due, or until a replica announces an earlier one
 * ({@link #wakeBy}). It looks every {@code poll-interval} only as a safety net, so a scheduled run
 * starts within milliseconds of its time. Replicas start runs side by side: each start claims its
 * runs with {@code SKIP LOCKED}. A start that fails is tried again after a backoff with jitter.
 */
@Component
class RunLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunLoop.class);

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));

    private final RunStarts starts;
    private final Clock clock;
    private final SchedulerProperties properties;
    private ScheduledExecutorService thread;
    private ScheduledFuture<?> next;
    private Instant wakeAt = Instant.MAX;
    private int failures;
    private volatile boolean running;

    RunLoop(RunStarts starts, Clock clock, SchedulerProperties properties) {
        this.starts = starts;
        this.clock = clock;
        this.properties = properties;
    }

    /** Starts due runs by {@code due}, unless the loop looks before then anyway. */
    synchronized void wakeBy(Instant due) {
        if (!running || !due.isBefore(wakeAt)) {
            return;
        }
        wakeAt = due;
        if (next != null) {
            next.cancel(false);
        }
        next = thread.schedule(
                this::startDue,
                Math.max(0, Duration.between(clock.instant(), due).toMillis()),
                TimeUnit.MILLISECONDS);
    }

    private void startDue() {
        synchronized (this) {
            wakeAt = Instant.MAX;
        }
        Instant now = clock.instant();
        try {
            while (starts.start(now, properties.batchSize()) == properties.batchSize()) {
                now = clock.instant();
            }
            failures = 0;
            Instant due = starts.nextDue();
            Instant poll = now.plus(properties.pollInterval());
            wakeBy(due == null || due.isAfter(poll) ? poll : due);
        } catch (RuntimeException e) {
            Duration wait = Duration.ofMillis(BACKOFF.delayMillis(++failures));
            log.warn(
                    "Starting due workflow runs failed {} time(s) in a row, trying again in {} ms: {}",
                    failures,
                    wait.toMillis(),
                    e.getMessage());
            wakeBy(now.plus(wait));
        }
    }

    @Override
    public synchronized void start() {
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread started = new Thread(task, "scheduler-workflow-runs");
            started.setDaemon(true);
            return started;
        });
        running = true;
        wakeBy(clock.instant());
    }

    @Override
    public synchronized void stop() {
        running = false;
        thread.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
