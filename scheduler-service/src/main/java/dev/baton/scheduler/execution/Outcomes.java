package dev.baton.scheduler.execution;

import dev.baton.common.batch.BatchWriter;
import dev.baton.http.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Writes the outcomes of calls in batches ({@link BatchWriter}), one transaction for every
 * outcome that arrived while the previous batch was written. An outcome is never dropped. While
 * the database is away or busy, the batch is tried again after a backoff with jitter, for as long
 * as it takes. Any other failure, whatever it throws, is confined to the outcomes that cause it:
 * the batch is written one outcome at a time, and each outcome that still fails comes back to the
 * queue after its own backoff, behind the others. Nothing escapes {@link #write}, so the writer
 * thread goes on whatever happens.
 *
 * <p>Each outcome holds its dispatcher permit until it is written, so at most {@code
 * max-in-flight} outcomes wait in memory: a replica whose outcomes cannot be written stops
 * claiming work rather than piling outcomes up, and the deadline sweep leaves its executions alone
 * while it lives. It starts before the dispatcher and stops after it, writing what it holds for
 * up to 30 seconds; an outcome still unwritten then is recovered with the replica and runs again.
 */
@Component
class Outcomes extends BatchWriter<Outcomes.Pending> {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    static final int PHASE = Dispatcher.PHASE - 1;

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final Transitions transitions;
    private ScheduledExecutorService retries;

    /**
     * An outcome waiting to be written.
     *
     * @param written run once, when it is written
     * @param failures how many writes of it failed so far
     */
    record Pending(Transitions.Outcome outcome, Runnable written, int failures) {

        Pending failedAgain() {
            return new Pending(outcome, written, failures + 1);
        }
    }

    Outcomes(Transitions transitions) {
        super("scheduler-outcomes", 500, PHASE);
        this.transitions = transitions;
    }

    /** Queues an outcome; {@code written} runs once it is in the database. */
    void add(Transitions.Outcome outcome, Runnable written) {
        add(new Pending(outcome, written, 0));
    }

    @Override
    protected void write(List<Pending> batch) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            Throwable failure = record(batch);
            if (failure == null) {
                return;
            }
            if (!databaseAway(failure)) {
                if (batch.size() == 1) {
                    retryLater(batch.get(0), failure);
                } else {
                    log.error("Could not record {} outcome(s); recording them one at a time", batch.size(), failure);
                    batch.forEach(this::writeAlone);
                }
                return;
            }
            Duration wait = Duration.ofMillis(BACKOFF.delayMillis(failures));
            if (failures == 1 || failures % 10 == 0) {
                log.warn(
                        "Could not record {} outcome(s) in {} tries, trying again in {} ms: {}",
                        batch.size(),
                        failures,
                        wait.toMillis(),
                        failure.toString());
            }
            Thread.sleep(wait.toMillis());
        }
    }

    private void writeAlone(Pending pending) {
        Throwable failure = record(List.of(pending));
        if (failure != null) {
            retryLater(pending, failure);
        }
    }

    /** Queues the outcome again after its backoff, behind whatever arrives meanwhile. */
    private void retryLater(Pending pending, Throwable failure) {
        Pending again = pending.failedAgain();
        Duration wait = Duration.ofMillis(BACKOFF.delayMillis(again.failures()));
        if (again.failures() == 1 || again.failures() % 10 == 0) {
            log.warn(
                    "Could not record the outcome of execution {} in {} tries, trying again in {} ms",
                    pending.outcome().execution().id(),
                    again.failures(),
                    wait.toMillis(),
                    failure);
        }
        try {
            retries.schedule(() -> add(again), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            add(again);
        }
    }

    /** Records the batch in one transaction, and runs each one's callback; returns what failed it, or null. */
    private Throwable record(List<Pending> batch) {
        try {
            transitions.record(batch.stream().map(Pending::outcome).toList());
        } catch (RuntimeException | Error e) {
            return e;
        }
        for (Pending pending : batch) {
            try {
                pending.written().run();
            } catch (RuntimeException | Error e) {
                log.error(
                        "The callback of the written outcome of execution {} failed",
                        pending.outcome().execution().id(),
                        e);
            }
        }
        return null;
    }

    /** Whether the failure is the database's being unreachable or busy, which every outcome would meet alike. */
    private static boolean databaseAway(Throwable failure) {
        return failure instanceof TransientDataAccessException
                || failure instanceof RecoverableDataAccessException
                || failure instanceof DataAccessResourceFailureException
                || failure instanceof TransactionException;
    }

    @Override
    public void start() {
        retries = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "scheduler-outcome-retries");
            thread.setDaemon(true);
            return thread;
        });
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        retries.shutdownNow();
    }
}
