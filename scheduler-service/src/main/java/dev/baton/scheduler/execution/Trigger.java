package dev.baton.scheduler.execution;

/** What made an execution: its job's schedule, a call of the API's trigger, or a node of a workflow run. */
enum Trigger {
    SCHEDULE,
    MANUAL,
    WORKFLOW
}
