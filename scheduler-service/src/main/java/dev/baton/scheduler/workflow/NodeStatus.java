package dev.baton.scheduler.workflow;

/**
 * The life of a node in a run: PENDING until its edges are satisfied, RUNNING once its execution
 * is added, then SUCCEEDED or FAILED as its execution ends (FAILED for any end but success); SKIPPED
 * when its edges can no longer be satisfied, CANCELLED with its run.
 */
enum NodeStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    CANCELLED;

    boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }
}
