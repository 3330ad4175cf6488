package dev.baton.client.worker;

import dev.baton.http.Backoff;
import dev.baton.http.BatonHttp;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows the {@link CompletionStage} of a task that completes later: heartbeats its execution at
 * the scheduler every interval while it runs, until the scheduler answers 410 Gone, then, once the
 * lines it logged are stored (or a bounded wait passed), reports its outcome to {@code /complete},
 * retrying with backoff and jitter while the scheduler cannot be reached or fails. Calls are
 * asynchronous, so one timer thread serves every execution. Each call carries the trace context of
 * the scheduler's call that started the task, so that the scheduler's spans for them join the
 * execution's trace. Thread-safe.
 */
final class CompletionReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompletionReporter.class);
    private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16));
    private static final int COMPLETE_TRIES = 6;

    private final BatonHttp scheduler;
    private final Duration heartbeatInterval;
    private final JsonMapper json;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "baton-worker-timer");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param scheduler the scheduler's API; null when none is configured, and then {@link TaskMethods}
     *        admits no task that completes later
     */
    CompletionReporter(BatonHttp scheduler, Duration heartbeatInterval, JsonMapper json) {
        this.scheduler = scheduler;
        this.heartbeatInterval = heartbeatInterval;
        this.json = json;
    }

    /**
     * Heartbeats the execution until {@code stage} completes, then reports how it did once its lines
     * are sent; called on the thread that serves the scheduler's call, whose trace context the
     * reports carry.
     */
    void follow(String task, TaskContext context, TaskLogs.AttemptLog lines, CompletionStage<?> stage) {
        Execution execution = new Execution(task, context, lines, scheduler.traceHeaders());
        execution.heartbeats = timer.scheduleAtFixedRate(
                execution::heartbeat,
                heartbeatInterval.toMillis(),
                heartbeatInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        stage.whenComplete(execution::finish);
    }

    /** What a failure says: its message, else its type; wrappers of the real cause left out. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException
                        || cause instanceof ExecutionException
                        || cause instanceof InvocationTargetException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getName();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One execution being followed: its heartbeats and its report. */
    private final class Execution {

        private final String task;
        private final TaskContext context;
        private final TaskLogs.AttemptLog lines;
        private final Map<String, String> trace;
        private final String path;
        private volatile ScheduledFuture<?> heartbeats;

        Execution(String task, TaskContext context, TaskLogs.AttemptLog lines, Map<String, String> trace) {
            this.task = task;
            this.context = context;
            this.lines = lines;
            this.trace = trace;
            this.path = "/api/v1/executions/" + context.executionId();
        }

        void heartbeat() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("attempt", context.attempt());
            body.put("shardIndex", context.shardIndex());
            post("/heartbeat", json.writeValueAsBytes(body)).whenComplete((status, failure) -> {
                if (failure != null) {
                    log.warn("Could not heartbeat {}: {}", this, describe(failure));
                } else if (status == 410) {
                    log.warn("The scheduler gave up on {} (410 Gone): no more heartbeats; the task runs on", this);
                    heartbeats.cancel(false);
                } else if (status != 200) {
                    log.warn("The scheduler answered {} to a heartbeat of {}", status, this);
                }
            });
        }

        void finish(Object value, Throwable failure) {
            heartbeats.cancel(false);
            byte[] body;
            if (failure == null) {
                try {
                    body = json.writeValueAsBytes(outcome("SUCCEEDED", value, null));
                } catch (JacksonException e) {
                    log.warn("{} returned a result that cannot be written as JSON", this, e);
                    body = json.writeValueAsBytes(
                            outcome("FAILED", null, "The result cannot be written as JSON: " + e.getOriginalMessage()));
                }
            } else {
                log.warn("The stage of {} failed", this, failure);
                body = json.writeValueAsBytes(outcome("FAILED", null, describe(failure)));
            }
            byte[] report = body;
            lines.finish().whenComplete((ignored, notSent) -> complete(report, 1));
        }

        private Map<String, Object> outcome(String status, Object result, String error) {
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("status", status);
            outcome.put("result", result);
            outcome.put("error", error);
            outcome.put("attempt", context.attempt());
            outcome.put("shardIndex", context.shardIndex());
            return outcome;
        }

        private void complete(byte[] body, int tryNumber) {
            post("/complete", body).whenComplete((status, failure) -> {
                if (failure == null && status == 200) {
                    log.debug("Reported the completion of {}", this);
                } else if (failure == null && status == 409) {
                    log.info("{} was already final at the scheduler (409): its completion is dropped", this);
                } else if ((failure != null || status >= 500) && tryNumber < COMPLETE_TRIES) {
                    retry(body, tryNumber);
                } else {
                    log.warn(
                            "Could not report the completion of {} ({}): the attempt ends when the scheduler's "
                                    + "timeout for it passes",
                            this,
                            failure != null ? describe(failure) : "answered " + status);
                }
            });
        }

        private void retry(byte[] body, int tryNumber) {
            try {
                timer.schedule(
                        () -> complete(body, tryNumber + 1),
                        RETRY.delay(tryNumber).toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                log.warn(
                        "Shutting down before the completion of {} could be reported: the attempt ends when "
                                + "the scheduler's timeout for it passes",
                        this);
            }
        }

        private CompletableFuture<Integer> post(String pathBelow, byte[] body) {
            return scheduler.postAsync(path + pathBelow, body, trace);
        }

        @Override
        public String toString() {
            return "task '" + task + "' of execution " + context.executionId() + " (attempt " + context.attempt()
                    + ", shard " + context.shardIndex() + ")";
        }
    }
}
