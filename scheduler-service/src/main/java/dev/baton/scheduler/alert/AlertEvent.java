package dev.baton.scheduler.alert;

/** What an alert tells. */
enum AlertEvent {
    /** An execution failed for good, after its retries. */
    FAILED,
    /** An execution's last attempt timed out. */
    TIMED_OUT,
    /** A scheduled trigger was found late and skipped by the job's misfire policy. */
    MISFIRED,
    /** The job's executions failed for good this many times in a row. */
    CONSECUTIVE_FAILURES,
    /** An execution succeeded after the job's last one failed. */
    RECOVERED
}
