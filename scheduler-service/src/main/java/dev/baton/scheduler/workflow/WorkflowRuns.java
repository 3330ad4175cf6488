package dev.baton.scheduler.workflow;

import dev.baton.scheduler.job.JobDefinition;
import dev.baton.scheduler.job.Schedules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Moves workflow runs on, always in the transaction of the change that causes it: the verdict that
 * ends a node's execution (or its skip or cancellation at a claim), the start of a run, the loss
 * of a node's execution. Each step locks the run's row, records the change, and from every node's
 * status decides which nodes run now (their executions are added, due now) and which are skipped,
 * until nothing more follows; then whether the run ended. The executions are added already
 * claimed by this replica as far as it has room ({@link NodeExecutions}); only what is left is
 * announced to the dispatchers. So a replica that dies before its transaction commits leaves the
 * execution to run again and the run as it was, and one that dies after leaves both moved on, its
 * claimed executions recovered with it: no node is lost, and none is added twice.
 *
 * <p>An execution of a job that is not a node costs nothing here: its callers pass only nodes.
 */
@Component
public class WorkflowRuns {

    /**
     * A node's execution that ended for good.
     *
     * @param succeeded whether it succeeded; any other end fails the node
     * @param result its result, or null
     */
    public record NodeEnded(long runId, String nodeId, long executionId, boolean succeeded, JsonNode result) {}

    private final RunStore store;
    private final NextRuns nextRuns;
    private final NodeExecutions nodeExecutions;

    WorkflowRuns(RunStore store, NextRuns nextRuns, NodeExecutions nodeExecutions) {
        this.store = store;
        this.nextRuns = nextRuns;
        this.nodeExecutions = nodeExecutions;
    }

    /** Records, in the caller's transaction, how these nodes' executions ended, and moves their runs on. */
    public void ended(List<NodeEnded> ended, Instant now) {
        if (ended.isEmpty()) {
            return;
        }
        Map<Long, Map<String, NodeStatus>> statuses = new HashMap<>();
        List<RunStore.Run> runs = store.recordEnded(ended, statuses);
        if (!runs.isEmpty()) {
            advance(runs, statuses, now);
        }
    }

    /** Fails the running nodes whose execution was deleted with its job, and moves their runs on; how many runs. */
    int failOrphaned(Instant now) {
        List<Long> orphaned = store.orphaned();
        if (orphaned.isEmpty()) {
            return 0;
        }
        List<RunStore.Run> runs = store.lockRunning(orphaned);
        store.failOrphaned(ids(runs));
        advance(runs, store.statuses(ids(runs)), now);
        return runs.size();
    }

    /** Starts runs just claimed: adds their nodes, and runs those that no edge leads into. */
    void start(List<RunStore.Run> runs, Instant now) {
        Map<Long, Map<String, NodeStatus>> statuses = new HashMap<>();
        for (RunStore.Run run : runs) {
            Graph graph = Graph.of(run.definition());
            store.addNodes(run, graph);
            Map<String, NodeStatus> pending = new HashMap<>();
            graph.nodes().forEach(node -> pending.put(node, NodeStatus.PENDING));
            statuses.put(run.id(), pending);
        }
        advance(runs, statuses, now);
    }

    /**
     * Takes each run as far as its nodes' statuses allow: skips the nodes that can no longer run,
     * adds the executions of those that can, and fails at once a node whose job is gone, which may
     * decide more; then records every change, and ends the runs whose nodes are all final.
     */
    private void advance(List<RunStore.Run> runs, Map<Long, Map<String, NodeStatus>> statuses, Instant now) {
        Map<Long, Graph> graphs = new HashMap<>();
        runs.forEach(run -> graphs.put(run.id(), Graph.of(run.definition())));
        List<RunStore.NodeChange> changes = new ArrayList<>();
        for (List<RunStore.Run> stepping = runs; !stepping.isEmpty(); ) {
            List<NodeExecutions.Ready> ready = new ArrayList<>();
            for (RunStore.Run run : stepping) {
                Graph graph = graphs.get(run.id());
                Map<String, NodeStatus> nodes = statuses.get(run.id());
                Graph.Step step = graph.next(nodes);
                for (String node : step.skipped()) {
                    nodes.put(node, NodeStatus.SKIPPED);
                    changes.add(new RunStore.NodeChange(run.id(), node, NodeStatus.SKIPPED, null, null));
                }
                for (String node : step.ready()) {
                    ready.add(new NodeExecutions.Ready(run.id(), node, graph.jobOf(node), graph.upstream(node)));
                }
            }
            Map<NodeExecutions.Ready, Long> executions = ready.isEmpty() ? Map.of() : nodeExecutions.add(ready, now);
            Set<Long> again = new HashSet<>();
            for (NodeExecutions.Ready node : ready) {
                Long execution = executions.get(node);
                NodeStatus status = execution == null ? NodeStatus.FAILED : NodeStatus.RUNNING;
                statuses.get(node.runId()).put(node.nodeId(), status);
                changes.add(new RunStore.NodeChange(
                        node.runId(),
                        node.nodeId(),
                        status,
                        execution,
                        execution == null ? "its job " + node.jobId() + " no longer exists" : null));
                if (execution == null) {
                    again.add(node.runId());
                }
            }
            stepping = runs.stream().filter(run -> again.contains(run.id())).toList();
        }
        Map<Long, Graph.Ending> endings = new HashMap<>();
        List<NextRuns.Next> next = new ArrayList<>();
        for (RunStore.Run run : runs) {
            Graph.Ending ending = graphs.get(run.id()).ending(statuses.get(run.id()));
            endings.put(run.id(), ending);
            JobDefinition.Schedule schedule = run.definition().schedule();
            if (ending != null && run.trigger() == RunTrigger.SCHEDULE && schedule != null) {
                Instant following = Schedules.afterCompletion(schedule, now);
                if (following != null) {
                    next.add(new NextRuns.Next(run.workflowId(), run.workflowVersion(), following));
                }
            }
        }
        store.record(changes, endings, now);
        nextRuns.add(next);
    }

    private static List<Long> ids(List<RunStore.Run> runs) {
        return runs.stream().map(RunStore.Run::id).toList();
    }
}
