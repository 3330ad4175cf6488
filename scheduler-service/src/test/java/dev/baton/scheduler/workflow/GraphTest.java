package dev.baton.scheduler.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a run does next, from its nodes' statuses: pure logic. */
class GraphTest {

    private static final UUID JOB = UUID.randomUUID();

    /** A fan-out of {@code width} nodes from "root", all into "join" on {@code on}. */
    private static Graph fan(int width, Condition on) {
        List<WorkflowDefinition.Node> nodes = new ArrayList<>();
        List<WorkflowDefinition.Edge> edges = new ArrayList<>();
        nodes.add(new WorkflowDefinition.Node("root", JOB));
        nodes.add(new WorkflowDefinition.Node("join", JOB));
        for (int i = 0; i < width; i++) {
            nodes.add(new WorkflowDefinition.Node("n" + i, JOB));
            edges.add(new WorkflowDefinition.Edge("root", "n" + i, Condition.SUCCESS));
            edges.add(new WorkflowDefinition.Edge("n" + i, "join", on));
        }
        assertThat(Graph.refusals(nodes, edges)).isEmpty();
        return Graph.of(new WorkflowDefinition("fan", null, nodes, edges, null, null, true));
    }

    private static Map<String, NodeStatus> statuses(Graph graph, NodeStatus status) {
        Map<String, NodeStatus> statuses = new HashMap<>();
        graph.nodes().forEach(node -> statuses.put(node, status));
        return statuses;
    }

    @Test
    void the_roots_run_first_and_a_fan_in_waits_for_its_last_upstream_node() {
        Graph graph = fan(3, Condition.SUCCESS);
        Map<String, NodeStatus> statuses = statuses(graph, NodeStatus.PENDING);

        assertThat(graph.nodes()).startsWith("root").endsWith("join");
        assertThat(graph.next(statuses).ready()).containsExactly("root");
        statuses.put("root", NodeStatus.SUCCEEDED);
        assertThat(graph.next(statuses).ready()).containsExactly("n0", "n1", "n2");
        statuses.put("n0", NodeStatus.SUCCEEDED);
        statuses.put("n1", NodeStatus.SUCCEEDED);
        statuses.put("n2", NodeStatus.RUNNING);
        assertThat(graph.next(statuses).isEmpty()).isTrue();
        assertThat(graph.ending(statuses)).isNull();
        statuses.put("n2", NodeStatus.SUCCEEDED);
        assertThat(graph.next(statuses).ready()).containsExactly("join");
        statuses.put("join", NodeStatus.SUCCEEDED);
        assertThat(graph.ending(statuses).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void a_failed_root_skips_the_whole_fan_at_once_and_fails_the_run() {
        Graph graph = fan(3, Condition.SUCCESS);
        Map<String, NodeStatus> statuses = statuses(graph, NodeStatus.PENDING);
        statuses.put("root", NodeStatus.FAILED);

        Graph.Step step = graph.next(statuses);

        assertThat(step.ready()).isEmpty();
        assertThat(step.skipped()).containsExactly("n0", "n1", "n2", "join");
        step.skipped().forEach(node -> statuses.put(node, NodeStatus.SKIPPED));
        assertThat(graph.ending(statuses)).isEqualTo(new Graph.Ending(RunStatus.FAILED, "node(s) failed: root"));
    }

    @Test
    void a_fan_in_on_always_runs_after_skipped_upstream_nodes() {
        Graph graph = fan(2, Condition.ALWAYS);
        Map<String, NodeStatus> statuses = statuses(graph, NodeStatus.PENDING);
        statuses.put("root", NodeStatus.FAILED);

        Graph.Step step = graph.next(statuses);

        assertThat(step.skipped()).containsExactly("n0", "n1");
        assertThat(step.ready()).containsExactly("join");
    }
}
