package dev.baton.scheduler.execution;

import dev.baton.common.tracing.Spans;
import dev.baton.http.Backoff;
import dev.baton.scheduler.SchedulerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's dispatch loop, on one thread: claim what is due, call its workers without
 * blocking, and sleep until the earliest pending due time, or until another replica or a job
 * change announces an earlier one. It polls only as a safety net ({@code poll-interval}), so a
 * trigger fires within milliseconds of its time rather than within a polling period. At most
 * {@code max-in-flight} executions are being called, or have outcomes waiting to be written, at
 * once ({@link Room}); the loop claims no more than there is room for, leaving the rest to other
 * replicas. Every claimed execution gives its permit back, however its call ends. A claim that
 * fails is tried again after a backoff with jitter. It also calls, on the committing thread, the
 * workflow nodes whose executions the transaction ending their upstream node added already
 * claimed ({@link ReadyNodeExecutions}).
 *
 * <p>Each attempt is a span, {@code execution attempt}, from its claim until its outcome is
 * written, with a {@code worker call} span for each call; it goes on with the trace of the request
 * that triggered the execution, or starts a trace of its own (docs/adr/0025).
 */
@Component
class Dispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    static final int PHASE = 100;

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));

    private final Claims claims;
    private final WorkerCalls calls;
    private final Outcomes outcomes;
    private final Replica replica;
    private final Spans spans;
    private final Clock clock;
    private final SchedulerProperties properties;
    private final Room room;
    private final ReadyNodeExecutions readyNodes;
    private final Alarm alarm = new Alarm();
    private final Counter dispatched;
    private final Timer lateness;
    private volatile boolean running;
    private Thread loop;

    Dispatcher(
            Claims claims,
            WorkerCalls calls,
            Outcomes outcomes,
            Replica replica,
            Spans spans,
            Clock clock,
            SchedulerProperties properties,
            Room room,
            ReadyNodeExecutions readyNodes,
            MeterRegistry meters) {
        this.claims = claims;
        this.calls = calls;
        this.outcomes = outcomes;
        this.replica = replica;
        this.spans = spans;
        this.clock = clock;
        this.properties = properties;
        this.room = room;
        this.readyNodes = readyNodes;
        this.dispatched = Counter.builder("baton.scheduler.executions.dispatched")
                .description("Execution attempts this replica called workers for")
                .register(meters);
        this.lateness = Timer.builder("baton.scheduler.dispatch.lateness")
                .description("How long after its due time an execution attempt was claimed")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /** Wakes the loop by {@code due} if it sleeps past it. */
    void wakeBy(Instant due) {
        alarm.setBy(due);
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                int free = room.take(properties.batchSize());
                if (free == 0) {
                    room.awaitAny();
                    continue;
                }
                Instant now = clock.instant();
                List<Claimed> claimed = List.of();
                try {
                    claimed = claims.claim(replica.id(), now, free);
                } finally {
                    room.give(free - claimed.size());
                }
                dispatch(claimed, now);
                if (claimed.size() < free) {
                    Instant next = claims.nextDue();
                    Instant limit = now.plus(properties.pollInterval());
                    alarm.sleep(next == null || next.isAfter(limit) ? limit : next, clock);
                }
                failures = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Duration wait = Duration.ofMillis(BACKOFF.delayMillis(++failures));
                log.warn(
                        "Claiming due executions failed {} time(s) in a row, trying again in {} ms: {}",
                        failures,
                        wait.toMillis(),
                        e.getMessage());
                try {
                    alarm.sleep(clock.instant().plus(wait), clock);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Calls the workers of executions claimed at {@code now}, each holding a permit of the room. */
    private void dispatch(List<Claimed> claimed, Instant now) {
        for (Claimed execution : claimed) {
            dispatch(execution, now);
        }
    }

    /**
     * Calls the workers of a claimed execution under its permit, which its outcome gives back once
     * it is written. A call that fails unexpectedly, before or after it is sent, fails its attempt.
     */
    private void dispatch(Claimed execution, Instant now) {
        dispatched.increment();
        lateness.record(Duration.between(execution.dueAt(), now).abs());
        Span attempt = attemptSpan(execution);
        CompletableFuture<List<CallResult>> results;
        try {
            results = calls.call(execution, attempt);
        } catch (RuntimeException | Error e) {
            results = CompletableFuture.failedFuture(e);
        }
        Runnable written = () -> {
            room.give(1);
            attempt.end();
        };
        results.whenComplete((done, failure) -> {
            if (failure == null) {
                if (!attempt.isNoop()) {
                    attempt.tag("baton.attempt.outcome", outcome(done));
                }
                outcomes.add(new Transitions.Outcome(execution, done), written);
                return;
            }
            attempt.error(failure);
            try (var scope = spans.inScope(attempt)) {
                log.error("Calling the workers of execution {} failed unexpectedly", execution.id(), failure);
            }
            Instant failedAt = clock.instant();
            outcomes.add(
                    new Transitions.Outcome(
                            execution,
                            List.of(new CallResult(
                                    0,
                                    1,
                                    null,
                                    AttemptStatus.FAILED,
                                    null,
                                    Results.capped("calling the workers failed: " + failure, 4096),
                                    now,
                                    failedAt))),
                    written);
        });
    }

    private Span attemptSpan(Claimed execution) {
        Span span = spans.resume("execution attempt", execution.traceparent());
        if (!span.isNoop()) {
            span.tag("baton.job.id", execution.jobId().toString())
                    .tag("baton.job.name", execution.job().name())
                    .tag("baton.execution.id", execution.id())
                    .tag("baton.execution.attempt", execution.attempt())
                    .tag("baton.execution.trigger", execution.trigger().name());
        }
        return span;
    }

    /**
     * How the attempt's calls went: ACCEPTED while a worker is to report, else SUCCEEDED when
     * every call did, TIMED_OUT when one timed out, FAILED otherwise.
     */
    private static String outcome(List<CallResult> calls) {
        if (calls.stream().anyMatch(CallResult::accepted)) {
            return AttemptStatus.ACCEPTED.name();
        }
        if (calls.stream().allMatch(call -> call.status() == AttemptStatus.SUCCEEDED)) {
            return AttemptStatus.SUCCEEDED.name();
        }
        return calls.stream().anyMatch(call -> call.status() == AttemptStatus.TIMED_OUT)
                ? AttemptStatus.TIMED_OUT.name()
                : AttemptStatus.FAILED.name();
    }

    @Override
    public void start() {
        log.info(
                "Dispatching as replica {}: batches of {}, up to {} calls in flight",
                replica.id(),
                properties.batchSize(),
                properties.maxInFlight());
        running = true;
        readyNodes.dispatchWith(this::dispatch);
        room.open();
        loop = new Thread(this::run, "scheduler-dispatch");
        loop.setDaemon(true);
        loop.start();
    }

    /** Stops claiming, and waits a while for the calls in flight; what is left is recovered by other replicas. */
    @Override
    public void stop() {
        running = false;
        room.close();
        loop.interrupt();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
            int left = room.awaitAll(properties.shutdownWait());
            if (left > 0) {
                log.warn(
                        "{} call(s) still in flight or outcome(s) unwritten at shutdown; other replicas will retry them",
                        left);
            }
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

    /** A sleep that an earlier due time cuts short. */
    private static final class Alarm {

        private Instant wakeAt = Instant.MAX;

        synchronized void setBy(Instant due) {
            if (due.isBefore(wakeAt)) {
                wakeAt = due;
                notifyAll();
            }
        }

        synchronized void sleep(Instant until, Clock clock) throws InterruptedException {
            if (until.isBefore(wakeAt)) {
                wakeAt = until;
            }
            long millis;
            while ((millis = Duration.between(clock.instant(), wakeAt).toMillis()) > 0) {
                wait(millis);
            }
            wakeAt = Instant.MAX;
        }
    }
}
