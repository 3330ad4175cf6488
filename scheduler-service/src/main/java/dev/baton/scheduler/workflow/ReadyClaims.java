package dev.baton.scheduler.workflow;

import java.time.Instant;
import java.util.List;

/**
 * Claims for this replica, in the transaction that adds them, the executions of nodes made ready,
 * and calls their workers once that transaction commits: a node's successor is called as soon as
 * the node's end is in the database, without a dispatch loop finding it and claiming it in a
 * transaction of its own (docs/adr/0028).
 */
public interface ReadyClaims {

    /**
     * Claims, in the caller's transaction, what this replica has room for of the executions it
     * just added; returns how many it claimed. The others stay due for any replica's dispatcher.
     */
    int claim(List<Long> executions, Instant now);
}
