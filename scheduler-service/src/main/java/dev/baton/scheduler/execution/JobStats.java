package dev.baton.scheduler.execution;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job's statistics over its kept history.
 *
 * @param counts executions by status
 * @param successRate succeeded among finished runs (succeeded, failed, timed out), or null before any
 * @param durationP50Ms from first call to the end, over finished runs
 */
record JobStats(
        UUID jobId,
        Map<ExecutionStatus, Long> counts,
        Double successRate,
        Long durationP50Ms,
        Long durationP95Ms,
        Long durationP99Ms,
        Instant lastRunAt,
        ExecutionStatus lastRunStatus) {}
