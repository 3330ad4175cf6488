package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.instant;

import dev.baton.scheduler.job.JobDefinition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An execution a replica has claimed and is about to call its workers for.
 *
 * @param attempt this attempt's number, from 1
 * @param failures the attempts that failed before it
 * @param jobVersion the version of the definition it runs with
 * @param traceparent the trace its attempts go on with (that of the request that triggered it), or
 *        null for each attempt to start its own
 * @param node the workflow run and node it runs, or null for an execution of the job alone
 */
record Claimed(
        long id,
        UUID jobId,
        Instant scheduledAt,
        Trigger trigger,
        int attempt,
        int failures,
        Instant dueAt,
        JobDefinition job,
        long jobVersion,
        String traceparent,
        Node node) {

    /**
     * The workflow node an execution runs.
     *
     * @param upstream the results of its upstream nodes by node id, which its call's body carries
     */
    record Node(long runId, String nodeId, JsonNode upstream) {}

    /**
     * How the dispatch loop's claim marks an execution {@code e} of job {@code j} as this
     * replica's, from {@code :now}. The executions of ready workflow nodes are inserted already
     * marked so ({@link ReadyNodeExecutions}).
     */
    static final String CLAIMING = """
            status = 'RUNNING', attempt = e.attempt + 1, replica = :replica,
            started_at = coalesce(e.started_at, :now), deadline_at = :now + j.timeout_ms * interval '1 millisecond'""";

    /**
     * What a claim returns of an execution {@code e} and its job {@code j}, for {@link #of}: the
     * dispatch loop's claim and the insert of ready nodes' executions alike.
     */
    static final String COLUMNS = """
            e.id, e.job_id, e.scheduled_at, e.trigger, e.attempt, e.failures, e.due_at, e.traceparent,
            e.workflow_run, e.workflow_node, e.upstream::text as upstream, j.definition::text as definition, j.version""";

    /**
     * The execution of a row that has the execution's columns and, as {@code definition} and
     * {@code version}, its job's: the claim's and a transition's lock read the same.
     */
    static Claimed of(ResultSet rs, Definitions definitions, JsonMapper json) throws SQLException {
        Long run = rs.getObject("workflow_run", Long.class);
        UUID jobId = rs.getObject("job_id", UUID.class);
        long version = rs.getLong("version");
        return new Claimed(
                rs.getLong("id"),
                jobId,
                instant(rs, "scheduled_at"),
                Trigger.valueOf(rs.getString("trigger")),
                rs.getInt("attempt"),
                rs.getInt("failures"),
                instant(rs, "due_at"),
                definitions.of(jobId, version, rs.getString("definition")),
                version,
                rs.getString("traceparent"),
                run == null
                        ? null
                        : new Node(run, rs.getString("workflow_node"), json.readTree(rs.getString("upstream"))));
    }

    boolean scheduled() {
        return trigger == Trigger.SCHEDULE;
    }
}
