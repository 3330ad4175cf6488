package dev.baton.scheduler.job;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs and their next scheduled execution. Every change of a job locks its row, then replaces
 * the pending trigger that has not run yet: a replica that claims a trigger takes a share lock on
 * the job to add the following one, so a trigger of an old definition or of a paused job is
 * never added after the change. Deleting a job can still deadlock with a claim of its trigger,
 * and PostgreSQL then aborts one of them: callers retry {@link
 * org.springframework.dao.TransientDataAccessException}s.
 */
@Repository
public class JobStore {

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final JsonMapper json;
    private final Clock clock;

    JobStore(JdbcClient jdbc, TransactionOperations transactions, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    /** Stores a new job, with defaults filled in, and schedules its first trigger; throws DuplicateKeyException on a taken name. */
    public Job create(JobDefinition definition) {
        return transactions.execute(transaction -> {
            UUID id = UUID.randomUUID();
            Instant now = clock.instant();
            jdbc.sql("""
                    insert into job (id, name, definition, enabled, timeout_ms, exclusive, version, created_at, updated_at)
                    values (:id, :name, :definition::jsonb, :enabled, :timeout, :exclusive, 1, :now, :now)""")
                    .param("id", id)
                    .param("name", definition.name())
                    .param("definition", json.writeValueAsString(definition))
                    .param("enabled", definition.enabled())
                    .param("timeout", definition.timeoutMs())
                    .param("exclusive", definition.concurrency() != JobDefinition.Concurrency.ALLOW)
                    .param("now", at(now))
                    .update();
            scheduleFirst(id, definition, now);
            return find(id).orElseThrow();
        });
    }

    public Optional<Job> find(UUID id) {
        return jdbc.sql("""
                select j.id, j.definition::text as definition, j.version, j.created_at, j.updated_at,
                       (select min(e.scheduled_at) from execution e
                         where e.job_id = j.id and e.status = 'PENDING' and e.trigger = 'SCHEDULE') as next_run_at
                  from job j
                 where j.id = :id""").param("id", id).query(this::job).optional();
    }

    /** The jobs whose names come after {@code cursor}, in name order. */
    public List<Job> list(String cursor, int limit) {
        return jdbc.sql("""
                select j.id, j.definition::text as definition, j.version, j.created_at, j.updated_at,
                       (select min(e.scheduled_at) from execution e
                         where e.job_id = j.id and e.status = 'PENDING' and e.trigger = 'SCHEDULE') as next_run_at
                  from job j
                 where j.name > :cursor
                 order by j.name
                 limit :limit""")
                .param("cursor", cursor)
                .param("limit", limit)
                .query(this::job)
                .list();
    }

    /** Replaces a job's definition and its pending trigger; empty when it does not exist. */
    public Optional<Job> replace(UUID id, JobDefinition definition) {
        return transactions.execute(transaction -> replaceInTransaction(id, definition));
    }

    private Optional<Job> replaceInTransaction(UUID id, JobDefinition definition) {
        Instant now = clock.instant();
        int updated = jdbc.sql("""
                update job set name = :name, definition = :definition::jsonb, enabled = :enabled, timeout_ms = :timeout,
                       exclusive = :exclusive, version = version + 1, updated_at = :now
                 where id = :id""")
                .param("id", id)
                .param("name", definition.name())
                .param("definition", json.writeValueAsString(definition))
                .param("enabled", definition.enabled())
                .param("timeout", definition.timeoutMs())
                .param("exclusive", definition.concurrency() != JobDefinition.Concurrency.ALLOW)
                .param("now", at(now))
                .update();
        if (updated == 0) {
            return Optional.empty();
        }
        unschedule(id);
        scheduleFirst(id, definition, now);
        return find(id);
    }

    /** Pauses or resumes a job; empty when it does not exist. */
    public Optional<Job> setEnabled(UUID id, boolean enabled) {
        return transactions.execute(transaction -> {
            Optional<Job> job = jdbc.sql("""
                    select j.id, j.definition::text as definition, j.version, j.created_at, j.updated_at,
                           (select min(e.scheduled_at) from execution e
                             where e.job_id = j.id and e.status = 'PENDING' and e.trigger = 'SCHEDULE') as next_run_at
                      from job j
                     where j.id = :id
                       for update of j""").param("id", id).query(this::job).optional();
            if (job.isEmpty() || job.get().enabled() == enabled) {
                return job;
            }
            return replaceInTransaction(id, definition(job.get()).withEnabled(enabled));
        });
    }

    /** Deletes a job and its history; false when it did not exist. */
    public boolean delete(UUID id) {
        return jdbc.sql("""
                delete from job where id = :id""").param("id", id).update() > 0;
    }

    /** Adds a trigger due now, whether the job is paused or not; the new execution's id, or empty without the job. */
    public Optional<Long> trigger(UUID id) {
        return transactions.execute(transaction -> triggerInTransaction(id));
    }

    private Optional<Long> triggerInTransaction(UUID id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (Instant at = now; ; at = at.plus(1, ChronoUnit.MICROS)) {
            List<Long> added = jdbc.sql("""
                    insert into execution (job_id, scheduled_at, trigger, status, due_at)
                    select id, :at, 'MANUAL', 'PENDING', :at from job where id = :id
                    on conflict (job_id, scheduled_at) do nothing
                    returning id""")
                    .param("id", id)
                    .param("at", at(at))
                    .query(Long.class)
                    .list();
            if (!added.isEmpty()) {
                DueTimes.announce(jdbc, at);
                return Optional.of(added.get(0));
            }
            if (find(id).isEmpty()) {
                return Optional.empty();
            }
        }
    }

    /** The definition of a stored job. */
    public static JobDefinition definition(Job job) {
        return new JobDefinition(
                job.name(),
                job.schedule(),
                job.target(),
                job.routing(),
                job.routingKey(),
                job.shards(),
                job.timeoutMs(),
                job.retry(),
                job.misfire(),
                job.concurrency(),
                job.enabled(),
                job.alerts(),
                job.alertPolicy());
    }

    private void scheduleFirst(UUID id, JobDefinition definition, Instant now) {
        Instant first = definition.enabled() ? Schedules.first(definition, now) : null;
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

    private Job job(ResultSet rs, int row) throws SQLException {
        JobDefinition definition = json.readValue(rs.getString("definition"), JobDefinition.class);
        return Job.of(
                rs.getObject("id", UUID.class),
                definition,
                rs.getLong("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "next_run_at"));
    }
}
