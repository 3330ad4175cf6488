package dev.baton.scheduler.workflow;

import static dev.baton.scheduler.sql.Sql.at;

import dev.baton.scheduler.job.Schedules;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Workflows and their next scheduled run. A workflow is a JPA entity ({@link StoredWorkflow}), read
 * and written whole; its runs are rows of the run statements. Every change of a workflow locks its
 * row, then replaces the pending scheduled run that has not started: a replica that starts a
 * scheduled run takes a share lock on the workflow to add the following one, so a run of an old
 * definition or of a paused workflow is never added after the change.
 */
@Repository
class WorkflowStore {

    private final WorkflowRepository workflows;
    private final EntityManager entities;
    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final Clock clock;

    WorkflowStore(
            WorkflowRepository workflows,
            EntityManager entities,
            JdbcClient jdbc,
            TransactionOperations transactions,
            Clock clock) {
        this.workflows = workflows;
        this.entities = entities;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Stores a new workflow and schedules its first run; throws DuplicateKeyException on a taken name. */
    Workflow create(WorkflowDefinition definition) {
        return transactions.execute(transaction -> {
            Instant now = clock.instant();
            StoredWorkflow workflow = workflows.saveAndFlush(new StoredWorkflow(UUID.randomUUID(), definition, now));
            scheduleFirst(workflow.id(), definition, now);
            return reread(workflow);
        });
    }

    Optional<Workflow> find(UUID id) {
        return workflows.findById(id).map(StoredWorkflow::workflow);
    }

    /** The workflows whose names come after {@code cursor}, in name order. */
    List<Workflow> list(String cursor, int limit) {
        return workflows.findByNameGreaterThanOrderByName(cursor, Limit.of(limit)).stream()
                .map(StoredWorkflow::workflow)
                .toList();
    }

    /**
     * Replaces a workflow's definition and its pending scheduled run; empty when it does not
     * exist; throws DuplicateKeyException on a taken name. Runs already started go on with the
     * definition they started with.
     */
    Optional<Workflow> replace(UUID id, WorkflowDefinition definition) {
        return transactions.execute(transaction -> workflows.lock(id).map(workflow -> {
            Instant now = clock.instant();
            workflow.define(definition, now);
            workflows.flush();
            unschedule(id);
            scheduleFirst(id, definition, now);
            return reread(workflow);
        }));
    }

    /** Deletes a workflow and its runs; false when it did not exist. */
    boolean delete(UUID id) {
        return transactions.execute(transaction -> workflows.remove(id) > 0);
    }

    /** Adds a run due now; the new run's id, or empty without the workflow. */
    Optional<Long> trigger(UUID id) {
        return transactions.execute(transaction -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            for (Instant at = now; ; at = at.plus(1, ChronoUnit.MICROS)) {
                List<Long> added = jdbc.sql("""
                        insert into workflow_run (workflow_id, scheduled_at, trigger, status, due_at)
                        select id, :at, 'MANUAL', 'PENDING', :at from workflow where id = :id
                        on conflict (workflow_id, scheduled_at) do nothing
                        returning id""")
                        .param("id", id)
                        .param("at", at(at))
                        .query(Long.class)
                        .list();
                if (!added.isEmpty()) {
                    WorkflowEventsConfiguration.announceDue(jdbc, at);
                    return Optional.of(added.get(0));
                }
                if (!workflows.existsById(id)) {
                    return Optional.empty();
                }
            }
        });
    }

    /** The workflow as stored, with the next run its schedule now gives it. */
    private Workflow reread(StoredWorkflow workflow) {
        entities.refresh(workflow);
        return workflow.workflow();
    }

    private void scheduleFirst(UUID id, WorkflowDefinition definition, Instant now) {
        Instant first = definition.enabled() && definition.schedule() != null
                ? Schedules.first(definition.schedule(), now)
                : null;
        if (first == null) {
            return;
        }
        Instant due = first.isAfter(now) ? first : now;
        jdbc.sql("""
                insert into workflow_run (workflow_id, scheduled_at, trigger, status, due_at)
                values (:id, :at, 'SCHEDULE', 'PENDING', :due)
                on conflict (workflow_id, scheduled_at) do nothing""")
                .param("id", id)
                .param("at", at(first))
                .param("due", at(due))
                .update();
        WorkflowEventsConfiguration.announceDue(jdbc, due);
    }

    /**
     * Drops the workflow's pending scheduled run. One that a replica is starting at this moment is
     * skipped, not waited for: the start runs it, as it was due, and adds no successor, for the
     * workflow's version has moved on.
     */
    private void unschedule(UUID id) {
        jdbc.sql("""
                delete from workflow_run where id in (
                    select id from workflow_run
                     where workflow_id = :id and status = 'PENDING' and trigger = 'SCHEDULE'
                       for update skip locked)""").param("id", id).update();
    }
}
