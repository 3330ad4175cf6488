package dev.baton.scheduler.execution;

import java.time.Instant;

/**
 * How one call of an attempt went.
 *
 * @param status ACCEPTED while the worker has yet to report, then its final status
 * @param instanceId the instance called, or null when none was available
 */
record CallResult(
        int shardIndex,
        int shardTotal,
        String instanceId,
        AttemptStatus status,
        String result,
        String error,
        Instant dispatchedAt,
        Instant finishedAt) {

    boolean accepted() {
        return status == AttemptStatus.ACCEPTED;
    }

    boolean succeeded() {
        return status == AttemptStatus.SUCCEEDED;
    }
}
