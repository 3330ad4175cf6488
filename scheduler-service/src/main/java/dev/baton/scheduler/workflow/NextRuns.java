package dev.baton.scheduler.workflow;

import static dev.baton.scheduler.sql.Sql.texts;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Adds the scheduled run that follows a started or finished one. It is added only while the
 * workflow is enabled and still at the version the time was computed from, under a share lock on
 * the workflow's row: a change of the workflow waits for it and then replaces it, or it waits for
 * the change and adds nothing.
 */
@Component
class NextRuns {

    /** A run to add. */
    record Next(UUID workflowId, long workflowVersion, Instant at) {}

    private final JdbcClient jdbc;

    NextRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds them, in the caller's transaction, and announces the earliest. */
    void add(List<Next> runs) {
        if (runs.isEmpty()) {
            return;
        }
        List<Next> sorted =
                runs.stream().sorted(Comparator.comparing(Next::workflowId)).toList();
        jdbc.sql("""
                insert into workflow_run (workflow_id, scheduled_at, trigger, status, due_at)
                select w.id, n.at, 'SCHEDULE', 'PENDING', n.at
                  from unnest(:workflowIds::uuid[], :versions::bigint[], :ats::timestamptz[]) as n(workflow_id, version, at)
                  join workflow w on w.id = n.workflow_id and w.version = n.version and w.enabled
                   for share of w
                on conflict (workflow_id, scheduled_at) do nothing""")
                .param(
                        "workflowIds",
                        texts(sorted.stream().map(next -> next.workflowId().toString())))
                .param(
                        "versions",
                        sorted.stream().mapToLong(Next::workflowVersion).toArray())
                .param("ats", texts(sorted.stream().map(next -> next.at().toString())))
                .update();
        WorkflowEventsConfiguration.announceDue(
                jdbc,
                sorted.stream().map(Next::at).min(Comparator.naturalOrder()).orElseThrow());
    }
}
