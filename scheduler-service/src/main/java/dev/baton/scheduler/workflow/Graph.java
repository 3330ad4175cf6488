package dev.baton.scheduler.workflow;

import dev.baton.common.problem.Problems;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A workflow's nodes and edges as a DAG: the rules a definition must keep, and what a run does
 * next from its nodes' statuses. A node runs once every edge into it is satisfied, and is skipped
 * once one of them can no longer be: an edge is decided when its upstream node is final, and
 * satisfied when its condition accepts how that node ended. Immutable and thread-safe.
 */
final class Graph {

    /** The nodes in an order where every edge goes forward. */
    private final List<String> order;

    private final Map<String, UUID> jobs;
    private final Map<String, List<WorkflowDefinition.Edge>> incoming = new HashMap<>();
    private final Map<String, List<WorkflowDefinition.Edge>> outgoing = new HashMap<>();

    private Graph(List<WorkflowDefinition.Node> nodes, List<WorkflowDefinition.Edge> edges) {
        this.jobs = new LinkedHashMap<>();
        for (WorkflowDefinition.Node node : nodes) {
            jobs.put(node.id(), node.jobId());
            incoming.put(node.id(), new ArrayList<>());
            outgoing.put(node.id(), new ArrayList<>());
        }
        for (WorkflowDefinition.Edge edge : edges) {
            incoming.get(edge.to()).add(edge);
            outgoing.get(edge.from()).add(edge);
        }
        this.order = sorted(jobs.keySet(), incoming, outgoing);
    }

    /** The graph of a definition that keeps the rules of {@link #refusals}: its order holds every node. */
    static Graph of(WorkflowDefinition definition) {
        return new Graph(definition.nodes(), definition.edges());
    }

    /**
     * The rules the nodes and edges break, each naming its field: a node id used twice, an edge
     * from or to no node (dangling), an edge given twice, edges that form a cycle.
     */
    static List<Problems.FieldError> refusals(
            List<WorkflowDefinition.Node> nodes, List<WorkflowDefinition.Edge> edges) {
        List<Problems.FieldError> errors = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Integer first = ids.putIfAbsent(nodes.get(i).id(), i);
            if (first != null) {
                errors.add(new Problems.FieldError(
                        "nodes[" + i + "].id", "repeats the id '" + nodes.get(i).id() + "' of nodes[" + first + "]"));
            }
        }
        Set<List<String>> seen = new HashSet<>();
        List<WorkflowDefinition.Edge> joined = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            WorkflowDefinition.Edge edge = edges.get(i);
            boolean dangling = false;
            for (String end : List.of("from", "to")) {
                String id = end.equals("from") ? edge.from() : edge.to();
                if (!ids.containsKey(id)) {
                    errors.add(new Problems.FieldError(
                            "edges[" + i + "]." + end, "names no node of the workflow: '" + id + "'"));
                    dangling = true;
                }
            }
            if (!seen.add(List.of(edge.from(), edge.to()))) {
                errors.add(new Problems.FieldError(
                        "edges[" + i + "]", "repeats the edge from '" + edge.from() + "' to '" + edge.to() + "'"));
            } else if (!dangling) {
                joined.add(edge);
            }
        }
        if (errors.isEmpty()) {
            List<String> cycle = new Graph(nodes, joined).cycle();
            if (!cycle.isEmpty()) {
                errors.add(new Problems.FieldError("edges", "form a cycle: " + String.join(" -> ", cycle)));
            }
        }
        return errors;
    }

    /** The nodes, in an order where every edge goes forward. */
    List<String> nodes() {
        return order;
    }

    UUID jobOf(String node) {
        return jobs.get(node);
    }

    /** The nodes with an edge into {@code node}: those whose results are its input. */
    List<String> upstream(String node) {
        return incoming.get(node).stream().map(WorkflowDefinition.Edge::from).toList();
    }

    /**
     * What a run does next.
     *
     * @param ready the pending nodes whose edges are all satisfied: they run now
     * @param skipped the pending nodes whose edges can no longer all be satisfied
     */
    record Step(List<String> ready, List<String> skipped) {

        boolean isEmpty() {
            return ready.isEmpty() && skipped.isEmpty();
        }
    }

    /**
     * What a run whose nodes are in these statuses does next. A skip decides the edges out of the
     * skipped node at once (an ALWAYS edge accepts it), so skips cascade within one step.
     */
    Step next(Map<String, NodeStatus> statuses) {
        Map<String, NodeStatus> now = new HashMap<>(statuses);
        List<String> ready = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String node : order) {
            if (now.get(node) != NodeStatus.PENDING) {
                continue;
            }
            boolean satisfied = true;
            boolean unsatisfiable = false;
            for (WorkflowDefinition.Edge edge : incoming.get(node)) {
                NodeStatus from = now.get(edge.from());
                if (!from.isFinal()) {
                    satisfied = false;
                } else if (!edge.on().accepts(from)) {
                    unsatisfiable = true;
                }
            }
            if (unsatisfiable) {
                now.put(node, NodeStatus.SKIPPED);
                skipped.add(node);
            } else if (satisfied) {
                ready.add(node);
            }
        }
        return new Step(ready, skipped);
    }

    /**
     * How a run whose nodes are in these statuses ended, or null while one of them is not final. It
     * failed when a node failed that no FAILURE or ALWAYS edge leaves: a failure no edge handles.
     */
    Ending ending(Map<String, NodeStatus> statuses) {
        if (!statuses.values().stream().allMatch(NodeStatus::isFinal)) {
            return null;
        }
        List<String> failed = order.stream()
                .filter(node -> statuses.get(node) == NodeStatus.FAILED
                        && outgoing.get(node).stream().noneMatch(edge -> edge.on() != Condition.SUCCESS))
                .toList();
        return failed.isEmpty()
                ? new Ending(RunStatus.SUCCEEDED, null)
                : new Ending(RunStatus.FAILED, "node(s) failed: " + String.join(", ", failed));
    }

    /** How a run ended, and why, when it failed. */
    record Ending(RunStatus status, String error) {}

    /** Kahn's order of the nodes; the graph is acyclic. */
    private static List<String> sorted(
            Set<String> nodes,
            Map<String, List<WorkflowDefinition.Edge>> incoming,
            Map<String, List<WorkflowDefinition.Edge>> outgoing) {
        Map<String, Integer> waiting = new HashMap<>();
        Deque<String> free = new ArrayDeque<>();
        for (String node : nodes) {
            waiting.put(node, incoming.get(node).size());
            if (incoming.get(node).isEmpty()) {
                free.add(node);
            }
        }
        List<String> order = new ArrayList<>();
        while (!free.isEmpty()) {
            String node = free.poll();
            order.add(node);
            for (WorkflowDefinition.Edge edge : outgoing.get(node)) {
                if (waiting.merge(edge.to(), -1, Integer::sum) == 0) {
                    free.add(edge.to());
                }
            }
        }
        return Collections.unmodifiableList(order);
    }

    /**
     * A cycle of the edges, as its nodes from the one defined first, repeated at the end; or empty.
     * The nodes Kahn's order leaves out each have an edge from another left out, so walking those
     * edges back from any of them comes round to a node seen before.
     */
    private List<String> cycle() {
        Set<String> left = new HashSet<>(jobs.keySet());
        order.forEach(left::remove);
        if (left.isEmpty()) {
            return List.of();
        }
        List<String> walked = new ArrayList<>();
        String node = jobs.keySet().stream().filter(left::contains).findFirst().orElseThrow();
        while (!walked.contains(node)) {
            walked.add(node);
            node = incoming.get(node).stream()
                    .map(WorkflowDefinition.Edge::from)
                    .filter(left::contains)
                    .findFirst()
                    .orElseThrow();
        }
        List<String> cycle = new ArrayList<>(walked.subList(walked.indexOf(node), walked.size()));
        Collections.reverse(cycle);
        List<String> defined = List.copyOf(jobs.keySet());
        Collections.rotate(
                cycle,
                -cycle.indexOf(cycle.stream()
                        .min(Comparator.comparing(defined::indexOf))
                        .orElseThrow()));
        cycle.add(cycle.get(0));
        return cycle;
    }
}
