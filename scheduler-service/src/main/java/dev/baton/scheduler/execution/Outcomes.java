package dev.baton.scheduler.execution;

import dev.baton.common.batch.BatchWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes the outcomes of calls in batches ({@link BatchWriter}), one transaction for every
 * outcome that arrived while the previous batch was written. A batch that cannot be written (the
 * database is away) is tried again every second for a while; one that never can be is dropped
 * with a warning, and its executions stay RUNNING until the deadline sweep retries them:
 * delayed, not lost. It starts before the dispatcher and stops after it, writing what it left.
 */
@Component
class Outcomes extends BatchWriter<Transitions.Outcome> {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);
    private static final int MAX_TRIES = 60;

    private final Transitions transitions;

    Outcomes(Transitions transitions) {
        super("scheduler-outcomes", 500, Dispatcher.PHASE - 1);
        this.transitions = transitions;
    }

    @Override
    protected void write(List<Transitions.Outcome> batch) throws InterruptedException {
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
}
