package dev.baton.scheduler.workflow;

import dev.baton.scheduler.job.JobDefinition;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored workflow: its definition with every default filled in, and its state.
 *
 * @param version incremented by every change of the definition
 * @param nextRunAt the scheduled time of its next run; null without a schedule, when paused or finished
 */
record Workflow(
        UUID id,
        String name,
        JobDefinition.Schedule schedule,
        List<WorkflowDefinition.Node> nodes,
        List<WorkflowDefinition.Edge> edges,
        JobDefinition.Misfire misfire,
        JobDefinition.Concurrency concurrency,
        boolean enabled,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant nextRunAt) {

    static Workflow of(
            UUID id,
            WorkflowDefinition definition,
            long version,
            Instant createdAt,
            Instant updatedAt,
            Instant nextRunAt) {
        return new Workflow(
                id,
                definition.name(),
                definition.schedule(),
                definition.nodes(),
                definition.edges(),
                definition.misfire(),
                definition.concurrency(),
                definition.enabled(),
                version,
                createdAt,
                updatedAt,
                nextRunAt);
    }
}
