package dev.baton.scheduler.workflow;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.texts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The statements that move runs on, each in its caller's transaction. A run's row is locked
 * before its nodes change ({@link #recordEnded}, {@link #lockRunning}), so that the nodes of one
 * run, ending on several replicas at once, are decided one transaction after another: each sees
 * what the one before committed. Every update of a run's row moves its index, which its nodes' changes therefore
 * always come with ({@link #record}).
 */
@Repository
class RunStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RunStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * A run being moved on, with the definition it started with.
     *
     * @param workflowVersion the version of the workflow it started with, which its successor is guarded by
     */
    record Run(long id, UUID workflowId, RunTrigger trigger, long workflowVersion, WorkflowDefinition definition) {}

    /**
     * A node that changes: its new status, and the execution it runs when it starts.
     *
     * @param error why it failed without an execution, or null
     */
    record NodeChange(long runId, String nodeId, NodeStatus status, Long executionId, String error) {}

    /** The running runs of these ids, their rows locked in id order. */
    List<Run> lockRunning(Collection<Long> ids) {
        return jdbc.sql("""
                select id, workflow_id, trigger, workflow_version, definition::text as definition
                  from workflow_run
                 where id = any(:ids) and status = 'RUNNING'
                 order by id
                   for update""")
                .param("ids", ids.stream().mapToLong(Long::longValue).toArray())
                .query((rs, n) -> run(rs))
                .list();
    }

    private Run run(ResultSet rs) throws SQLException {
        return new Run(
                rs.getLong("id"),
                rs.getObject("workflow_id", UUID.class),
                RunTrigger.valueOf(rs.getString("trigger")),
                rs.getLong("workflow_version"),
                json.readValue(rs.getString("definition"), WorkflowDefinition.class));
    }

    /**
     * Records how the executions of running nodes ended, under the lock of their runs' rows, in one
     * round trip ({@code workflow_nodes_ended}, in the migrations): each end only while its node
     * still runs that execution (a node ends once). Returns the runs locked, those still running,
     * and puts every node's status in them, these ends included, into {@code statuses}.
     */
    List<Run> recordEnded(List<WorkflowRuns.NodeEnded> ended, Map<Long, Map<String, NodeStatus>> statuses) {
        return jdbc.sql("""
                select id, workflow_id, trigger, workflow_version, definition, nodes::text as nodes
                  from workflow_nodes_ended(:runs::bigint[], :nodes::text[], :executions::bigint[], :statuses::text[],
                                            :results::jsonb[])""")
                .param(
                        "runs",
                        ended.stream().mapToLong(WorkflowRuns.NodeEnded::runId).toArray())
                .param("nodes", texts(ended.stream().map(WorkflowRuns.NodeEnded::nodeId)))
                .param(
                        "executions",
                        ended.stream()
                                .mapToLong(WorkflowRuns.NodeEnded::executionId)
                                .toArray())
                .param(
                        "statuses",
                        texts(ended.stream()
                                .map(node -> (node.succeeded() ? NodeStatus.SUCCEEDED : NodeStatus.FAILED).name())))
                .param(
                        "results",
                        texts(ended.stream()
                                .map(node ->
                                        node.result() == null || node.result().isNull()
                                                ? null
                                                : json.writeValueAsString(node.result()))))
                .query((rs, n) -> {
                    Map<String, NodeStatus> nodes = new HashMap<>();
                    json.readTree(rs.getString("nodes"))
                            .properties()
                            .forEach(node -> nodes.put(
                                    node.getKey(),
                                    NodeStatus.valueOf(node.getValue().asString())));
                    statuses.put(rs.getLong("id"), nodes);
                    return run(rs);
                })
                .list();
    }

    /** The nodes of these runs that still run and whose execution is gone, deleted with its job; they fail. */
    void failOrphaned(Collection<Long> runs) {
        jdbc.sql("""
                update workflow_run_node set status = 'FAILED', error = 'its execution was deleted with its job'
                 where run_id = any(:runs) and status = 'RUNNING' and execution_id is null""")
                .param("runs", runs.stream().mapToLong(Long::longValue).toArray())
                .update();
    }

    /** The runs with a running node whose execution is gone. */
    List<Long> orphaned() {
        return jdbc.sql("""
                select distinct run_id from workflow_run_node where status = 'RUNNING' and execution_id is null""").query(Long.class).list();
    }

    /** Every node's status in each of these runs. */
    Map<Long, Map<String, NodeStatus>> statuses(Collection<Long> runs) {
        Map<Long, Map<String, NodeStatus>> statuses = new HashMap<>();
        jdbc.sql("""
                select run_id, node_id, status from workflow_run_node where run_id = any(:runs)""")
                .param("runs", runs.stream().mapToLong(Long::longValue).toArray())
                .query((rs, n) -> statuses.computeIfAbsent(rs.getLong("run_id"), run -> new HashMap<>())
                        .put(rs.getString("node_id"), NodeStatus.valueOf(rs.getString("status"))))
                .list();
        return statuses;
    }

    /** Adds a started run's nodes, each PENDING. */
    void addNodes(Run run, Graph graph) {
        List<String> nodes = graph.nodes();
        jdbc.sql("""
                insert into workflow_run_node (run_id, node_id, job_id, status)
                select :run, n.node_id, n.job_id, 'PENDING' from unnest(:nodes::text[], :jobs::uuid[]) as n(node_id, job_id)""")
                .param("run", run.id())
                .param("nodes", texts(nodes.stream()))
                .param(
                        "jobs",
                        texts(nodes.stream().map(node -> graph.jobOf(node).toString())))
                .update();
    }

    /**
     * Records, in one statement, the nodes' new statuses with the executions of those that start,
     * and each run's status, ended or still RUNNING: every run given had nodes change in this
     * transaction, and the update of its row moves its index.
     */
    void record(List<NodeChange> changes, Map<Long, Graph.Ending> runs, Instant now) {
        List<Map.Entry<Long, Graph.Ending>> entries = new ArrayList<>(runs.entrySet());
        jdbc.sql("""
                with changed as (
                    update workflow_run_node n set status = c.status, execution_id = c.execution_id, error = c.error
                      from unnest(:runs::bigint[], :nodes::text[], :statuses::text[], :executions::bigint[],
                                  :errors::text[]) as c(run_id, node_id, status, execution_id, error)
                     where n.run_id = c.run_id and n.node_id = c.node_id)
                update workflow_run r
                   set status = coalesce(v.status, r.status),
                       finished_at = case when v.status is null then null else :now::timestamptz end, error = v.error
                  from unnest(:ids::bigint[], :runStatuses::text[], :runErrors::text[]) as v(id, status, error)
                 where r.id = v.id""")
                .param("runs", changes.stream().mapToLong(NodeChange::runId).toArray())
                .param("nodes", texts(changes.stream().map(NodeChange::nodeId)))
                .param(
                        "statuses",
                        texts(changes.stream().map(change -> change.status().name())))
                .param(
                        "executions",
                        texts(changes.stream()
                                .map(change -> change.executionId() == null
                                        ? null
                                        : change.executionId().toString())))
                .param("errors", texts(changes.stream().map(NodeChange::error)))
                .param("now", at(now))
                .param("ids", entries.stream().mapToLong(Map.Entry::getKey).toArray())
                .param(
                        "runStatuses",
                        texts(entries.stream()
                                .map(entry -> entry.getValue() == null
                                        ? null
                                        : entry.getValue().status().name())))
                .param(
                        "runErrors",
                        texts(entries.stream()
                                .map(entry -> entry.getValue() == null
                                        ? null
                                        : entry.getValue().error())))
                .update();
    }
}
