package dev.baton.scheduler.execution;

/** The life of an execution: PENDING until claimed, RUNNING while called, then one of the final statuses. */
enum ExecutionStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    SKIPPED,
    CANCELLED
}
