package dev.baton.scheduler.workflow;

/**
 * The life of a run: PENDING until a replica starts it, RUNNING while its nodes run, then SUCCEEDED,
 * or FAILED when a node failed that no FAILURE or ALWAYS edge leaves; SKIPPED when the workflow's
 * misfire or concurrency policy did not start it, CANCELLED when a later run replaced it.
 */
enum RunStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    CANCELLED
}
