package dev.baton.scheduler.execution;

import dev.baton.scheduler.job.JobDefinition;
import java.time.Instant;
import java.util.UUID;

/**
 * An execution a replica has claimed and is about to call its workers for.
 *
 * @param attempt this attempt's number, from 1
 * @param failures the attempts that failed before it
 * @param jobVersion the version of the definition it runs with
 */
record Claimed(
        long id,
        UUID jobId,
        Instant scheduledAt,
        Trigger trigger,
        int attempt,
        int failures,
        Instant dueAt,
        JobDefinition job,
        long jobVersion) {

    boolean scheduled() {
        return trigger == Trigger.SCHEDULE;
    }
}
