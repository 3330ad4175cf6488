package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.texts;

import dev.baton.scheduler.job.DueTimes;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Adds the trigger that follows a claimed or finished one. It is added only while the job is
 * enabled and still at the version the time was computed from, under a share lock on the job
 * row: a change of the job waits for it and then replaces it, or it waits for the change and
 * adds nothing.
 */
@Component
class NextTriggers {

    private static final String ADD = """
            insert into execution (job_id, scheduled_at, trigger, status, due_at)
            select j.id, n.at, 'SCHEDULE', 'PENDING', n.at
              from unnest(:jobIds::uuid[], :versions::bigint[], :ats::timestamptz[]) as n(job_id, version, at)
              join job j on j.id = n.job_id and j.version = n.version and j.enabled
               for share of j
            on conflict (job_id, scheduled_at) do nothing""";

    /** A trigger to add. */
    record Next(UUID jobId, long jobVersion, Instant at) {}

    private final JdbcClient jdbc;

    NextTriggers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds them, in the caller's transaction, and announces the earliest. */
    void add(List<Next> triggers) {
        if (triggers.isEmpty()) {
            return;
        }
        List<Next> sorted =
                triggers.stream().sorted(Comparator.comparing(Next::jobId)).toList();
        jdbc.sql(ADD)
                .param("jobIds", texts(sorted.stream().map(next -> next.jobId().toString())))
                .param("versions", sorted.stream().mapToLong(Next::jobVersion).toArray())
                .param("ats", texts(sorted.stream().map(next -> next.at().toString())))
                .update();
        DueTimes.announce(
                jdbc,
                sorted.stream().map(Next::at).min(Comparator.naturalOrder()).orElseThrow());
    }
}
