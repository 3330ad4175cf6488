package dev.baton.scheduler.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Adds the executions of nodes made ready, in the caller's transaction, each one already claimed
 * by this replica as far as it has room, and calls their workers once that transaction commits:
 * a node's successor is called as soon as the node's end is in the database, without a dispatch
 * loop finding it and claiming it in a transaction of its own (docs/adr/0028).
 */
public interface NodeExecutions {

    /** A node whose edges are satisfied, with the upstream nodes whose results are its input. */
    record Ready(long runId, String nodeId, UUID jobId, List<String> upstream) {}

    /**
     * Adds the execution of each ready node whose job exists, due now; returns the execution of
     * each node added, by node. Those this replica has no room for, and those of jobs whose
     * concurrency policy the dispatch loop's claim applies, are left due for any replica's
     * dispatcher.
     */
    Map<Ready, Long> add(List<Ready> ready, Instant now);
}
