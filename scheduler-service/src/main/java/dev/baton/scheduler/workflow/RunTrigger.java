package dev.baton.scheduler.workflow;

/** What made a run: its workflow's schedule, or a call of the API's trigger. */
enum RunTrigger {
    SCHEDULE,
    MANUAL
}
