package dev.baton.client.worker;

import dev.baton.http.BatonHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the lines tasks log through their {@link TaskContext} to the scheduler: every {@code
 * interval}, for each attempt with lines waiting, one {@code POST /api/v1/executions/{id}/log} of
 * them, with at most one batch of an attempt in flight so that its lines arrive in order. A batch
 * that gets no answer or a 5xx is sent again. When a task ends, {@link AttemptLog#finish} sends
 * the rest at once, and the SDK answers the call (or reports its completion) once they are
 * stored, or after {@link #FINISH_WAIT}. An attempt keeps at most {@code buffer} lines waiting;
 * those past it are dropped, and a line says how many. Once the scheduler keeps no more of an
 * attempt's lines (its cap) or refuses them (4xx), the attempt's later lines are not sent.
 * Without a scheduler to send to, the lines go to this application's log. Thread-safe.
 */
final class TaskLogs implements AutoCloseable {

    /** The most lines the scheduler takes in one batch. */
    static final int MAX_LINES = 1000;

    /** The most characters of one line at the scheduler; a longer text is sent as several lines. */
    static final int MAX_TEXT = 16_384;

    /** The most characters of one batch, which keeps its JSON well below the scheduler's 2 MB. */
    static final int MAX_BATCH_CHARS = 256 * 1024;

    /** How long a task's end waits for its last lines to be stored. */
    static final Duration FINISH_WAIT = Duration.ofSeconds(2);

    /** How many times the last lines of a task that ended are sent before they are given up. */
    private static final int FINISHED_TRIES = 5;

    private static final Logger log = LoggerFactory.getLogger(TaskLogs.class);

    private final BatonHttp scheduler;
    private final int buffer;
    private final JsonMapper json;
    private final Set<AttemptLog> waiting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "baton-worker-log");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param scheduler the scheduler's API, or null when none is configured
     * @param interval how often the lines waiting are sent
     * @param buffer the most lines of one attempt that wait to be sent
     */
    TaskLogs(BatonHttp scheduler, Duration interval, int buffer, JsonMapper json) {
        this.scheduler = scheduler;
        this.buffer = buffer;
        this.json = json;
        timer.scheduleWithFixedDelay(
                () -> waiting.forEach(AttemptLog::send),
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The log of one call of an attempt; it costs nothing until a line is logged. */
    AttemptLog attempt(String task, long executionId, int attempt, int shardIndex) {
        return new AttemptLog(task, executionId, attempt, shardIndex);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The text the scheduler can store, in parts of at most {@link #MAX_TEXT} characters. */
    static List<String> parts(String text) {
        StringBuilder storable = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                storable.append(c).append(text.charAt(++i));
            } else {
                storable.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        do {
            int to = Math.min(storable.length(), from + MAX_TEXT);
            if (to < storable.length() && Character.isHighSurrogate(storable.charAt(to - 1))) {
                to--;
            }
            parts.add(storable.substring(from, to));
            from = to;
        } while (from < storable.length());
        return parts;
    }

    private record Line(Instant at, String text) {}

    /** The lines of one call of an attempt, from the task's threads to the scheduler. */
    final class AttemptLog implements TaskLog {

        private final String task;
        private final long executionId;
        private final int attempt;
        private final int shardIndex;
        private final CompletableFuture<Void> drained = new CompletableFuture<>();

        // Guarded by this.
        private final ArrayDeque<Line> pending = new ArrayDeque<>();
        private int overflow;
        private boolean inFlight;
        private boolean stopped;
        private boolean finished;
        private int failures;

        private AttemptLog(String task, long executionId, int attempt, int shardIndex) {
            this.task = task;
            this.executionId = executionId;
            this.attempt = attempt;
            this.shardIndex = shardIndex;
        }

        @Override
        public void append(Instant at, String text) {
            if (scheduler == null) {
                log.info("{}: {}", this, text);
                return;
            }
            synchronized (this) {
                if (stopped) {
                    return;
                }
                if (pending.size() >= buffer) {
                    overflow++;
                    return;
                }
                if (overflow > 0) {
                    pending.add(overflowNotice(at));
                }
                parts(text == null ? "null" : text).forEach(part -> pending.add(new Line(at, part)));
                waiting.add(this);
            }
        }

        /**
         * The line that says how many lines the full buffer dropped, to go where they would have
         * been: after the lines that waited then, before any logged since.
         */
        private Line overflowNotice(Instant at) {
            Line notice = new Line(
                    at,
                    overflow + " line(s) were dropped by the worker: more than baton.worker.log-buffer (" + buffer
                            + ") waited to be sent");
            overflow = 0;
            return notice;
        }

        /**
         * Sends the lines still waiting now, and later lines as they come; completes once they are
         * stored, given up, or after {@link #FINISH_WAIT}.
         */
        CompletableFuture<Void> finish() {
            boolean logged;
            synchronized (this) {
                finished = true;
                logged = waiting.contains(this);
                if (!logged) {
                    drained.complete(null);
                }
            }
            if (logged) {
                sendSoon();
            }
            return drained.copy().completeOnTimeout(null, FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void sendSoon() {
            try {
                timer.execute(this::send);
            } catch (RejectedExecutionException shuttingDown) {
                log.warn("Shutting down before the last lines of {} were sent", this);
            }
        }

        /** Sends the next batch unless one is in flight. */
        void send() {
            List<Line> batch = new ArrayList<>();
            synchronized (this) {
                if (inFlight) {
                    return;
                }
                int chars = 0;
                while (!pending.isEmpty()
                        && batch.size() < MAX_LINES
                        && (batch.isEmpty() || chars + pending.peek().text().length() <= MAX_BATCH_CHARS)) {
                    Line line = pending.poll();
                    chars += line.text().length();
                    batch.add(line);
                }
                if (overflow > 0) {
                    Line notice = overflowNotice(Instant.now());
                    if (pending.isEmpty() && batch.size() < MAX_LINES) {
                        batch.add(notice);
                    } else {
                        pending.add(notice);
                    }
                }
                if (batch.isEmpty()) {
                    settle();
                    return;
                }
                inFlight = true;
            }
            scheduler
                    .postForAnswerAsync("/api/v1/executions/" + executionId + "/log", body(batch))
                    .whenComplete((answer, failure) -> sent(
                            batch,
                            failure == null ? answer.status() : 0,
                            failure == null && answer.body() != null
                                    ? answer.body().path("dropped").asInt(0)
                                    : 0,
                            failure));
        }

        private byte[] body(List<Line> batch) {
            List<Map<String, Object>> lines = new ArrayList<>(batch.size());
            for (Line line : batch) {
                Map<String, Object> sent = new LinkedHashMap<>();
                sent.put("at", line.at().toString());
                sent.put("text", line.text());
                lines.add(sent);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("attempt", attempt);
            body.put("shardIndex", shardIndex);
            body.put("lines", lines);
            return json.writeValueAsBytes(body);
        }

        /** What the scheduler answered to a batch: 0 for no answer. */
        private void sent(List<Line> batch, int status, int dropped, Throwable failure) {
            boolean again;
            synchronized (this) {
                inFlight = false;
                if (status >= 200 && status < 300) {
                    failures = 0;
                    if (dropped > 0) {
                        log.info("The log of {} reached its cap at the scheduler: its later lines are not sent", this);
                        stop();
                    }
                } else if (status == 0 || status >= 500) {
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        pending.addFirst(batch.get(i));
                    }
                    if (finished && ++failures >= FINISHED_TRIES) {
                        log.warn(
                                "Could not send the last lines of {} ({}): they are dropped",
                                this,
                                failure != null ? CompletionReporter.describe(failure) : "answered " + status);
                        stop();
                    }
                } else {
                    log.warn("The scheduler refused the lines of {} ({}): its later lines are not sent", this, status);
                    stop();
                }
                boolean failed = status == 0 || status >= 500;
                again = finished && !failed && !pending.isEmpty();
                if (pending.isEmpty()) {
                    settle();
                }
            }
            if (again) {
                sendSoon();
            }
        }

        /** With nothing to send: it waits for lines no more, and its task's end is done waiting. */
        private void settle() {
            waiting.remove(this);
            if (finished) {
                drained.complete(null);
            }
        }

        /** No line of this attempt is sent any more. */
        private void stop() {
            stopped = true;
            pending.clear();
            overflow = 0;
        }

        @Override
        public String toString() {
            return "task '" + task + "' of execution " + executionId + " (attempt " + attempt + ", shard " + shardIndex
                    + ")";
        }
    }
}
