package dev.baton.scheduler.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes the outcomes of calls in batches, as the registry writes heartbeats: one thread takes
 * every outcome that arrived while the previous batch was written and records them in one
 * transaction. A batch that cannot be written (the database is away) is tried again every second
 * for a while; one that never can be is dropped with a warning, and its executions stay RUNNING
 * until the deadline sweep retries them: delayed, not lost.
 */
@Component
class Outcomes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);
    private static final int MAX_BATCH = 500;
    private static final int MAX_TRIES = 60;

    /** Starts before the dispatcher and stops after it, writing what it left. */
    static final int PHASE = Dispatcher.PHASE - 1;

    private final Transitions transitions;
    private final BlockingQueue<Transitions.Outcome> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    Outcomes(Transitions transitions) {
        this.transitions = transitions;
    }

    void add(Transitions.Outcome outcome) {
        queue.add(outcome);
    }

    private void write() {
        List<Transitions.Outcome> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Transitions.Outcome first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                record(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void record(List<Transitions.Outcome> batch) throws InterruptedException {
        for (int tries = 1; ; tries++) {
            try {
                transitions.record(batch);
                return;
            } catch (RuntimeException e) {
                if (tries == MAX_TRIES) {
                    log.warn("Could not record {} outcome(s) in {} tries; the deadline sweep will retry them: {}",
                            batch.size(), tries, e.getMessage());
                    return;
                }
                if (tries == 1) {
                    log.warn("Could not record {} outcome(s), trying again every second: {}", batch.size(),
                            e.getMessage());
                }
                Thread.sleep(1000);
            }
        }
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::write, "scheduler-outcomes");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
