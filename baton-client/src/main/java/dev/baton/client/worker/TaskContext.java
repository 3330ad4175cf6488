package dev.baton.client.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * Which execution of a job a task is running, from the scheduler's {@code X-Baton-*} headers, and
 * the log of this attempt at the scheduler. Dispatch is at-least-once: {@code executionId} with
 * {@code attempt} (and {@code shardIndex} for a sharded job) is the key that makes a task
 * idempotent. Thread-safe: a task may log from any thread.
 */
public final class TaskContext {

    private final long executionId;
    private final int attempt;
    private final int shardIndex;
    private final int shardTotal;
    private final Instant scheduledAt;
    private final TaskLog log;

    /**
     * @param executionId the execution, the same for every attempt and shard of one trigger
     * @param attempt the attempt, from 1
     * @param shardIndex this shard, from 0
     * @param shardTotal how many shards the execution has, at least 1
     * @param scheduledAt when the trigger was due
     * @param log where the lines of {@link #log(String)} go
     */
    public TaskContext(
            long executionId, int attempt, int shardIndex, int shardTotal, Instant scheduledAt, TaskLog log) {
        this.executionId = executionId;
        this.attempt = attempt;
        this.shardIndex = shardIndex;
        this.shardTotal = shardTotal;
        this.scheduledAt = scheduledAt;
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The execution, the same for every attempt and shard of one trigger. */
    public long executionId() {
        return executionId;
    }

    /** The attempt, from 1. */
    public int attempt() {
        return attempt;
    }

    /** This shard, from 0. */
    public int shardIndex() {
        return shardIndex;
    }

    /** How many shards the execution has, at least 1. */
    public int shardTotal() {
        return shardTotal;
    }

    /** When the trigger was due. */
    public Instant scheduledAt() {
        return scheduledAt;
    }

    /**
     * Adds a line to this attempt's log at the scheduler ({@code GET
     * /api/v1/executions/{id}/log}), where it can be followed while the task runs. Lines are sent
     * in batches, and the last ones before the call is answered; this never blocks.
     */
    public void log(String line) {
        log.append(Instant.now(), line);
    }

    /**
     * Adds a line formatted as SLF4J formats a message: each {@code {}} is the next argument, and
     * a {@link Throwable} after the last one adds its stack trace.
     */
    public void log(String format, Object... arguments) {
        FormattingTuple formatted = MessageFormatter.arrayFormat(format, arguments);
        Throwable failure = formatted.getThrowable();
        if (failure == null) {
            log(formatted.getMessage());
            return;
        }
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        log(formatted.getMessage() + "\n" + trace.toString().stripTrailing());
    }

    @Override
    public String toString() {
        return "TaskContext[executionId=" + executionId + ", attempt=" + attempt + ", shardIndex=" + shardIndex
                + ", shardTotal=" + shardTotal + ", scheduledAt=" + scheduledAt + "]";
    }
}
