package dev.baton.scheduler.execution;

/** What a worker's report did. */
enum Report {
    RECORDED,
    UNKNOWN,
    ALREADY_FINAL,
    OTHER_ATTEMPT
}
