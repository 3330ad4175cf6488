package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Reads executions: one with its attempts, a job's history, and a job's statistics. */
@Repository
class ExecutionQueries {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ExecutionQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<ExecutionView> find(long id) {
        return jdbc.sql("""
                select id, job_id, scheduled_at, trigger, status, attempt, failures, due_at, started_at, finished_at,
                       deadline_at, result, error
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
                       deadline_at, result, error
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
                attempts);
    }
}
