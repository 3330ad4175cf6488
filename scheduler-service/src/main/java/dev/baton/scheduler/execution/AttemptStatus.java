package dev.baton.scheduler.execution;

/**
 * The status of one call of an attempt: ACCEPTED while a worker that answered 202 has yet to
 * report, then SUCCEEDED, FAILED or TIMED_OUT.
 */
enum AttemptStatus {
    ACCEPTED,
    SUCCEEDED,
    FAILED,
    TIMED_OUT
}
