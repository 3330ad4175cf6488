package dev.baton.scheduler.job;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Formula;

/**
 * A job's row, read and written whole: its definition as JSON, beside the columns that the
 * scheduler's statements read (enabled, timeout, exclusive, version), and the time of its next
 * scheduled trigger, read with it. The claims and transitions read the same row by SQL.
 */
@Entity
@Table(name = "job")
class StoredJob {

    @Id
    private UUID id;

    private String name;

    @Convert(converter = DefinitionJson.class)
    @ColumnTransformer(write = "?::jsonb")
    private JobDefinition definition;

    private boolean enabled;

    private long timeoutMs;

    private boolean exclusive;

    private long version;

    private Instant createdAt;

    private Instant updatedAt;

    @Formula("""
            (select min(e.scheduled_at) from execution e
              where e.job_id = id and e.status = 'PENDING' and e.trigger = 'SCHEDULE')""")
    private Instant nextRunAt;

    protected StoredJob() {}

    /** A new job at version 1. */
    StoredJob(UUID id, JobDefinition definition, Instant now) {
        this.id = id;
        this.version = 0;
        this.createdAt = now;
        define(definition, now);
    }

    /** Takes a new definition: every change of a job, pause and resume included, raises its version. */
    void define(JobDefinition definition, Instant now) {
        this.name = definition.name();
        this.definition = definition;
        this.enabled = definition.enabled();
        this.timeoutMs = definition.timeoutMs();
        this.exclusive = definition.concurrency() != JobDefinition.Concurrency.ALLOW;
        this.version++;
        this.updatedAt = now;
    }

    JobDefinition definition() {
        return definition;
    }

    Job job() {
        return Job.of(id, definition, version, createdAt, updatedAt, nextRunAt);
    }

    UUID id() {
        return id;
    }
}
