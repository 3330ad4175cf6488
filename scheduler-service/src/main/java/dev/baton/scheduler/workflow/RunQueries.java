package dev.baton.scheduler.workflow;

import static dev.baton.scheduler.sql.Sql.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Reads runs: one with its nodes and index, a workflow's runs, and the workflow a run belongs to. */
@Repository
class RunQueries {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RunQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A run with its nodes, and its index. */
    Optional<IndexedRun> find(long id) {
        return jdbc.sql("""
                select id, workflow_id, trigger, status, scheduled_at, started_at, finished_at, error, change,
                       definition::text as definition
                  from workflow_run where id = :id""")
                .param("id", id)
                .query((rs, n) -> new IndexedRun(rs.getLong("change"), view(rs, nodes(id, rs.getString("definition")))))
                .optional();
    }

    /** The name of the workflow a run belongs to. */
    Optional<String> workflowName(long runId) {
        return jdbc.sql("""
                select w.name from workflow_run r join workflow w on w.id = r.workflow_id where r.id = :id""").param("id", runId).query(String.class).optional();
    }

    /** A workflow's runs, newest first, after the run id {@code before}. */
    List<RunView> list(UUID workflowId, long before, int limit) {
        return jdbc.sql("""
                select id, workflow_id, trigger, status, scheduled_at, started_at, finished_at, error
                  from workflow_run
                 where workflow_id = :workflowId and id < :before
                 order by id desc
                 limit :limit""")
                .param("workflowId", workflowId)
                .param("before", before)
                .param("limit", limit)
                .query((rs, n) -> view(rs, null))
                .list();
    }

    /** A started run's nodes, in the order of the definition it runs; null before it started. */
    private List<RunView.NodeView> nodes(long id, String definition) {
        if (definition == null) {
            return null;
        }
        Map<String, Integer> order = new HashMap<>();
        List<WorkflowDefinition.Node> nodes =
                json.readValue(definition, WorkflowDefinition.class).nodes();
        for (int i = 0; i < nodes.size(); i++) {
            order.put(nodes.get(i).id(), i);
        }
        return jdbc
                .sql("""
                select node_id, job_id, status, execution_id, error from workflow_run_node where run_id = :id""")
                .param("id", id)
                .query((rs, n) -> new RunView.NodeView(
                        rs.getString("node_id"),
                        rs.getObject("job_id", UUID.class),
                        NodeStatus.valueOf(rs.getString("status")),
                        rs.getObject("execution_id", Long.class),
                        rs.getString("error")))
                .list()
                .stream()
                .sorted(Comparator.comparing(node -> order.getOrDefault(node.id(), Integer.MAX_VALUE)))
                .toList();
    }

    private static RunView view(ResultSet rs, List<RunView.NodeView> nodes) throws SQLException {
        return new RunView(
                rs.getLong("id"),
                rs.getObject("workflow_id", UUID.class),
                RunTrigger.valueOf(rs.getString("trigger")),
                RunStatus.valueOf(rs.getString("status")),
                instant(rs, "scheduled_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getString("error"),
                nodes);
    }
}
