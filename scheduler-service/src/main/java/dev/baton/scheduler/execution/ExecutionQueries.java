package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.instant;
import static dev.baton.scheduler.sql.Sql.texts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads executions: one with its attempts, a job's history, a job's statistics, the suite's
 * executions per minute, and the indexes of their blocking queries.
 */
@Repository
class ExecutionQueries {

    /** The final statuses, those an execution ends in. */
    private static final List<ExecutionStatus> FINAL = List.of(
            ExecutionStatus.SUCCEEDED,
            ExecutionStatus.FAILED,
            ExecutionStatus.TIMED_OUT,
            ExecutionStatus.SKIPPED,
            ExecutionStatus.CANCELLED);

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ExecutionQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The index of a job's executions: the last change of any of them, which moves at every
     * transition of each (V4__execution_changes.sql), 0 before the first.
     */
    long jobIndex(UUID jobId) {
        return jdbc.sql("""
                select coalesce(max(change), 0) from execution where job_id = :jobId""").param("jobId", jobId).query(Long.class).single();
    }

    /** The index of every execution: the last change number given out. */
    long index() {
        return jdbc.sql("""
                select last_value from execution_change""").query(Long.class).single();
    }

    /**
     * The executions of the jobs whose names start with one of {@code prefixes} (every job when it
     * is null) over {@code [since, until)}, by the minute they ended in.
     */
    ExecutionSummary summary(Instant since, Instant until, List<String> prefixes) {
        Instant from = since.truncatedTo(ChronoUnit.MINUTES);
        Map<Instant, Map<ExecutionStatus, Long>> minutes = new LinkedHashMap<>();
        for (Instant minute = from; minute.isBefore(until); minute = minute.plus(1, ChronoUnit.MINUTES)) {
            Map<ExecutionStatus, Long> counts = new LinkedHashMap<>();
            FINAL.forEach(status -> counts.put(status, 0L));
            minutes.put(minute, counts);
        }
        String[] reach = prefixes == null ? null : texts(prefixes.stream());
        jdbc.sql("""
                select date_trunc('minute', e.finished_at) as minute, e.status, count(*) as n
                  from execution e join job j on j.id = e.job_id
                 where e.finished_at >= :from and e.finished_at < :until
                   and (:all or exists (select 1 from unnest(:prefixes::text[]) as p(prefix)
                                         where starts_with(j.name, p.prefix)))
                 group by 1, 2""")
                .param("from", at(from))
                .param("until", at(until))
                .param("all", reach == null)
                .param("prefixes", reach == null ? new String[0] : reach)
                .query((rs, n) -> minutes.computeIfAbsent(instant(rs, "minute"), m -> new LinkedHashMap<>())
                        .merge(ExecutionStatus.valueOf(rs.getString("status")), rs.getLong("n"), Long::sum))
                .list();
        return jdbc.sql("""
                select count(*) filter (where e.status = 'RUNNING') as running,
                       count(*) filter (where e.status in ('FAILED', 'TIMED_OUT') and e.finished_at >= :hourAgo
                                          and e.finished_at < :until) as failed
                  from execution e join job j on j.id = e.job_id
                 where (e.status = 'RUNNING' or e.finished_at >= :hourAgo)
                   and (:all or exists (select 1 from unnest(:prefixes::text[]) as p(prefix)
                                         where starts_with(j.name, p.prefix)))""")
                .param("hourAgo", at(until.minus(1, ChronoUnit.HOURS)))
                .param("until", at(until))
                .param("all", reach == null)
                .param("prefixes", reach == null ? new String[0] : reach)
                .query((rs, n) -> new ExecutionSummary(
                        since,
                        until,
                        rs.getLong("running"),
                        rs.getLong("failed"),
                        minutes.entrySet().stream()
                                .map(minute -> new ExecutionSummary.Minute(minute.getKey(), minute.getValue()))
                                .toList()))
                .single();
    }

    Optional<ExecutionView> find(long id) {
        return jdbc.sql("""
                select id, job_id, scheduled_at, trigger, status, attempt, failures, due_at, started_at, finished_at,
                       deadline_at, result, error, workflow_run, workflow_node
                  from execution
                 where id = :id""")
                .param("id", id)
                .query((rs, n) -> view(rs, attempts(id)))
                .optional();
    }

    /** A job's executions, newest first, after the execution id {@code before}. */
    List<ExecutionView> history(UUID jobId, ExecutionStatus status, long before, int limit) {
        return jdbc.sql("""
                select id, job_id, scheduled_at, trigger, status, attempt, failures, due_at, started_at, finished_at,
                       deadline_at, result, error, workflow_run, workflow_node
                  from execution
                 where job_id = :jobId and (:status::text is null or status = :status) and id < :before
                 order by id desc
                 limit :limit""")
                .param("jobId", jobId)
                .param("status", status == null ? null : status.name())
                .param("before", before)
                .param("limit", limit)
                .query((rs, n) -> view(rs, null))
                .list();
    }

    JobStats stats(UUID jobId) {
        Map<ExecutionStatus, Long> counts = new LinkedHashMap<>();
        for (ExecutionStatus status : ExecutionStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("""
                select status, count(*) as n from execution where job_id = :jobId group by status""")
                .param("jobId", jobId)
                .query((rs, n) -> counts.put(ExecutionStatus.valueOf(rs.getString("status")), rs.getLong("n")))
                .list();
        long finished = counts.get(ExecutionStatus.SUCCEEDED)
                + counts.get(ExecutionStatus.FAILED)
                + counts.get(ExecutionStatus.TIMED_OUT);
        Double successRate = finished == 0 ? null : (double) counts.get(ExecutionStatus.SUCCEEDED) / finished;
        return jdbc.sql("""
                select percentile_disc(0.5) within group (order by d) as p50,
                       percentile_disc(0.95) within group (order by d) as p95,
                       percentile_disc(0.99) within group (order by d) as p99,
                       (select started_at from execution where job_id = :jobId and started_at is not null
                         order by started_at desc limit 1) as last_run_at,
                       (select status from execution where job_id = :jobId and started_at is not null
                         order by started_at desc limit 1) as last_status
                  from (select (extract(epoch from finished_at - started_at) * 1000)::bigint as d
                          from execution
                         where job_id = :jobId and status in ('SUCCEEDED', 'FAILED', 'TIMED_OUT')
                           and started_at is not null) as durations""")
                .param("jobId", jobId)
                .query((rs, n) -> new JobStats(
                        jobId,
                        counts,
                        successRate,
                        (Long) rs.getObject("p50"),
                        (Long) rs.getObject("p95"),
                        (Long) rs.getObject("p99"),
                        instant(rs, "last_run_at"),
                        rs.getString("last_status") == null
                                ? null
                                : ExecutionStatus.valueOf(rs.getString("last_status"))))
                .single();
    }

    private List<ExecutionView.AttemptView> attempts(long id) {
        return jdbc.sql("""
                select attempt, shard_index, shard_total, instance_id, status, dispatched_at, finished_at, result, error
                  from execution_attempt where execution_id = :id order by attempt, shard_index""")
                .param("id", id)
                .query((rs, n) -> new ExecutionView.AttemptView(
                        rs.getInt("attempt"),
                        rs.getInt("shard_index"),
                        (Integer) rs.getObject("shard_total"),
                        rs.getString("instance_id"),
                        AttemptStatus.valueOf(rs.getString("status")),
                        instant(rs, "dispatched_at"),
                        instant(rs, "finished_at"),
                        Results.parse(rs.getString("result"), json),
                        rs.getString("error")))
                .list();
    }

    private ExecutionView view(ResultSet rs, List<ExecutionView.AttemptView> attempts) throws SQLException {
        return new ExecutionView(
                rs.getLong("id"),
                rs.getObject("job_id", UUID.class),
                instant(rs, "scheduled_at"),
                Trigger.valueOf(rs.getString("trigger")),
                ExecutionStatus.valueOf(rs.getString("status")),
                rs.getInt("attempt"),
                rs.getInt("failures"),
                instant(rs, "due_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                instant(rs, "deadline_at"),
                Results.parse(rs.getString("result"), json),
                rs.getString("error"),
                attempts,
                rs.getObject("workflow_run", Long.class),
                rs.getString("workflow_node"));
    }
}
