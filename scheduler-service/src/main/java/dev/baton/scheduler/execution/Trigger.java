package dev.baton.scheduler.execution;

/** What made an execution: its job's schedule, or a call of the API's trigger. */
enum Trigger {
    SCHEDULE,
    MANUAL
}
