package dev.baton.scheduler.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * An execution as the API shows it.
 *
 * @param attempt the number of the latest attempt, 0 before the first
 * @param failures the attempts that failed
 * @param deadlineAt while RUNNING, when the current attempt times out
 * @param result the result: a worker's JSON, or for several calls an array of each call's outcome
 * @param attempts every call of every attempt; left out of listings
 * @param workflowRunId the workflow run whose node it runs; left out for an execution of the job alone
 * @param workflowNode that node's id
 */
record ExecutionView(
        long id,
        UUID jobId,
        Instant scheduledAt,
        Trigger trigger,
        ExecutionStatus status,
        int attempt,
        int failures,
        Instant dueAt,
        Instant startedAt,
        Instant finishedAt,
        Instant deadlineAt,
        JsonNode result,
        String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptView> attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long workflowRunId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String workflowNode) {

    /** One call of one attempt. */
    record AttemptView(
            int attempt,
            int shardIndex,
            Integer shardTotal,
            String instanceId,
            AttemptStatus status,
            Instant dispatchedAt,
            Instant finishedAt,
            JsonNode result,
            String error) {}
}
