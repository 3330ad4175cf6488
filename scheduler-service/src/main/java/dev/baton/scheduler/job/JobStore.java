package dev.baton.scheduler.job;

import static dev.baton.scheduler.sql.Sql.at;

import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Jobs and their next scheduled execution. A job is a JPA entity ({@link StoredJob}), read and
 * written whole; its triggers are rows of the scheduler's own statements. Every change of a job
 * locks its row, then replaces the pending trigger that has not run yet: a replica that claims a
 * trigger takes a share lock on the job to add the following one, so a trigger of an old
 * definition or of a paused job is never added after the change. Deleting a job can still
 * deadlock with a claim of its trigger, and PostgreSQL then aborts one of them: {@link JobService}
 * retries {@link org.springframework.dao.TransientDataAccessException}s.
 */
@Repository
class JobStore {

    private final JobRepository jobs;
    private final EntityManager entities;
    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final Clock clock;

    JobStore(
            JobRepository jobs,
            EntityManager entities,
            JdbcClient jdbc,
            TransactionOperations transactions,
            Clock clock) {
        this.jobs = jobs;
        this.entities = entities;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Stores a new job, with defaults filled in, and schedules its first trigger; throws
     * DuplicateKeyException on a taken name.
     */
    Job create(JobDefinition definition) {
        return transactions.execute(transaction -> {
            Instant now = clock.instant();
            StoredJob job = jobs.saveAndFlush(new StoredJob(UUID.randomUUID(), definition, now));
            scheduleFirst(job.id(), definition, now);
            return reread(job);
        });
    }

    Optional<Job> find(UUID id) {
        return jobs.findById(id).map(StoredJob::job);
    }

    /** The jobs of these ids that exist. */
    List<Job> find(Collection<UUID> ids) {
        return jobs.findAllById(ids).stream().map(StoredJob::job).toList();
    }

    /** The jobs whose names come after {@code cursor}, in name order. */
    List<Job> list(String cursor, int limit) {
        return jobs.findByNameGreaterThanOrderByName(cursor, Limit.of(limit)).stream()
                .map(StoredJob::job)
                .toList();
    }

    /**
     * Replaces a job's definition and its pending trigger; empty when it does not exist; throws
     * DuplicateKeyException on a taken name.
     */
    Optional<Job> replace(UUID id, JobDefinition definition) {
        return transactions.execute(transaction -> jobs.lock(id).map(job -> redefine(job, definition)));
    }

    /** Pauses or resumes a job; empty when it does not exist. */
    Optional<Job> setEnabled(UUID id, boolean enabled) {
        return transactions.execute(transaction -> jobs.lock(id)
                .map(job -> job.definition().enabled() == enabled
                        ? job.job()
                        : redefine(job, job.definition().withEnabled(enabled))));
    }

    /**
     * Deletes a job and its history unless a workflow's nodes run it; empty when it does not
     * exist, else the names of the workflows that keep it, none when it was deleted. The job's row
     * is locked first, against the key-share lock that a workflow naming it takes to be saved: a
     * workflow saved meanwhile is either seen here or refused for naming no job.
     */
    Optional<List<String>> delete(UUID id) {
        return transactions.execute(transaction -> {
            if (jdbc.sql("""
                    select id from job where id = :id for update""").param("id", id).query(UUID.class).optional().isEmpty()) {
                return Optional.empty();
            }
            List<String> workflows =
                    jdbc.sql("""
                    select w.name from workflow_job wj join workflow w on w.id = wj.workflow_id
                     where wj.job_id = :id order by w.name""").param("id", id).query(String.class).list();
            if (workflows.isEmpty()) {
                jobs.remove(id);
            }
            return Optional.of(workflows);
        });
    }

    /** Adds a trigger due now, whether the job is paused or not; the new execution's id, or empty without the job. */
    Optional<Long> trigger(UUID id, String traceparent) {
        return transactions.execute(transaction -> triggerInTransaction(id, traceparent));
    }

    private Optional<Long> triggerInTransaction(UUID id, String traceparent) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (Instant at = now; ; at = at.plus(1, ChronoUnit.MICROS)) {
            List<Long> added = jdbc.sql("""
                    insert into execution (job_id, scheduled_at, trigger, status, due_at, traceparent)
                    select id, :at, 'MANUAL', 'PENDING', :at, :traceparent from job where id = :id
                    on conflict (job_id, scheduled_at) do nothing
                    returning id""")
                    .param("id", id)
                    .param("traceparent", traceparent)
                    .param("at", at(at))
                    .query(Long.class)
                    .list();
            if (!added.isEmpty()) {
                DueTimes.announce(jdbc, at);
                return Optional.of(added.get(0));
            }
            if (!jobs.existsById(id)) {
                return Optional.empty();
            }
        }
    }

    /** Gives a locked job a new definition and replaces its pending trigger. */
    private Job redefine(StoredJob job, JobDefinition definition) {
        Instant now = clock.instant();
        job.define(definition, now);
        jobs.flush();
        unschedule(job.id());
        scheduleFirst(job.id(), definition, now);
        return reread(job);
    }

    /** The job as stored, with the next run its triggers now give it. */
    private Job reread(StoredJob job) {
        entities.refresh(job);
        return job.job();
    }

    private void scheduleFirst(UUID id, JobDefinition definition, Instant now) {
        Instant first = definition.enabled() ? Schedules.first(definition.schedule(), now) : null;
        if (first == null) {
            return;
        }
        Instant due = first.isAfter(now) ? first : now;
        jdbc.sql("""
                insert into execution (job_id, scheduled_at, trigger, status, due_at)
                values (:id, :at, 'SCHEDULE', 'PENDING', :due)
                on conflict (job_id, scheduled_at) do nothing""")
                .param("id", id)
                .param("at", at(first))
                .param("due", at(due))
                .update();
        DueTimes.announce(jdbc, due);
    }

    /**
     * Drops the job's pending trigger. One that a replica is claiming at this moment is skipped, not
     * waited for: the claim runs it, as it was due, and adds no successor, for the job's version
     * has moved on; waiting would deadlock with the claim's share lock on the job.
     */
    private void unschedule(UUID id) {
        jdbc.sql("""
                delete from execution where id in (
                    select id from execution
                     where job_id = :id and status = 'PENDING' and trigger = 'SCHEDULE' and attempt = 0
                       for update skip locked)""").param("id", id).update();
    }
}
