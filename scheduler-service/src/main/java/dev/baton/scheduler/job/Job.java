package dev.baton.scheduler.job;

import dev.baton.scheduler.alert.AlertChannel;
import dev.baton.scheduler.alert.AlertPolicy;
import dev.baton.scheduler.routing.Routing;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored job: its definition with every default filled in, and its state.
 *
 * @param version incremented by every change of the definition, pause and resume
 * @param nextRunAt the scheduled time of its next trigger; null when paused or finished
 */
public record Job(
        UUID id,
        String name,
        JobDefinition.Schedule schedule,
        JobDefinition.Target target,
        Routing routing,
        String routingKey,
        int shards,
        long timeoutMs,
        JobDefinition.Retry retry,
        JobDefinition.Misfire misfire,
        JobDefinition.Concurrency concurrency,
        boolean enabled,
        List<AlertChannel> alerts,
        AlertPolicy alertPolicy,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant nextRunAt) {

    static Job of(
            UUID id, JobDefinition definition, long version, Instant createdAt, Instant updatedAt, Instant nextRunAt) {
        return new Job(
                id,
                definition.name(),
                definition.schedule(),
                definition.target(),
                definition.routing(),
                definition.routingKey(),
                definition.shards(),
                definition.timeoutMs(),
                definition.retry(),
                definition.misfire(),
                definition.concurrency(),
                definition.enabled(),
                definition.alerts() == null ? List.of() : definition.alerts(),
                definition.alertPolicy(),
                version,
                createdAt,
                updatedAt,
                nextRunAt);
    }
}
