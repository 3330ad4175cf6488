package dev.baton.scheduler.workflow;

import dev.baton.scheduler.job.JobDefinition;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Formula;

/**
 * A workflow's row, read and written whole: its definition as JSON, beside the columns that the
 * run statements read (enabled, exclusive, version), the jobs its nodes run (table {@code
 * workflow_job}, whose foreign key keeps those jobs from being deleted), and the time of its next
 * scheduled run, read with it.
 */
@Entity
@Table(name = "workflow")
class StoredWorkflow {

    @Id
    private UUID id;

    private String name;

    @Convert(converter = WorkflowJson.class)
    @ColumnTransformer(write = "?::jsonb")
    private WorkflowDefinition definition;

    private boolean enabled;

    private boolean exclusive;

    private long version;

    private Instant createdAt;

    private Instant updatedAt;

    @ElementCollection
    @CollectionTable(name = "workflow_job", joinColumns = @JoinColumn(name = "workflow_id"))
    @Column(name = "job_id")
    private Set<UUID> jobIds = new HashSet<>();

    @Formula("""
            (select min(r.scheduled_at) from workflow_run r
              where r.workflow_id = id and r.status = 'PENDING' and r.trigger = 'SCHEDULE')""")
    private Instant nextRunAt;

    protected StoredWorkflow() {}

    /** A new workflow at version 1. */
    StoredWorkflow(UUID id, WorkflowDefinition definition, Instant now) {
        this.id = id;
        this.version = 0;
        this.createdAt = now;
        define(definition, now);
    }

    /** Takes a new definition; every change raises the version, which a run's successor is guarded by. */
    void define(WorkflowDefinition definition, Instant now) {
        this.name = definition.name();
        this.definition = definition;
        this.enabled = definition.enabled();
        this.exclusive = definition.concurrency() != JobDefinition.Concurrency.ALLOW;
        this.jobIds.clear();
        definition.nodes().forEach(node -> jobIds.add(node.jobId()));
        this.version++;
        this.updatedAt = now;
    }

    Workflow workflow() {
        return Workflow.of(id, definition, version, createdAt, updatedAt, nextRunAt);
    }

    UUID id() {
        return id;
    }
}
