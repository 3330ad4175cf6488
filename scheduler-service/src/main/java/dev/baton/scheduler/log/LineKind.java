package dev.baton.scheduler.log;

/** What a line of an execution's log is. */
enum LineKind {
    /** A line a worker logged. */
    LINE,
    /** Where the attempt's log reached baton.scheduler.logs.max-attempt-size: its later lines are dropped. */
    TRUNCATED
}
