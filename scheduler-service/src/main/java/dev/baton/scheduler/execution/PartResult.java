package dev.baton.scheduler.execution;

import java.time.Instant;

/**
 * How one call of an attempt went.
 *
 * @param status SUCCEEDED, FAILED, TIMED_OUT, or ACCEPTED while the worker has yet to report
 * @param instanceId the instance called, or null when none was available
 */
record PartResult(
        int shardIndex,
        int shardTotal,
        String instanceId,
        String status,
        String result,
        String error,
        Instant dispatchedAt,
        Instant finishedAt) {

    static final String ACCEPTED = "ACCEPTED";

    boolean accepted() {
        return ACCEPTED.equals(status);
    }

    boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }
}
