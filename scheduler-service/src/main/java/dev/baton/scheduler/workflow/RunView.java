package dev.baton.scheduler.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run as the API shows it.
 *
 * @param error why it failed, was skipped or cancelled
 * @param nodes each node of a run that started, in the order of its definition; left out of listings
 */
record RunView(
        long id,
        UUID workflowId,
        RunTrigger trigger,
        RunStatus status,
        Instant scheduledAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<NodeView> nodes) {

    /**
     * A node of a run.
     *
     * @param executionId the execution of its job, once it started
     * @param error why it failed without an execution
     */
    record NodeView(
            String id,
            UUID jobId,
            NodeStatus status,
            Long executionId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error) {}
}
