package dev.baton.scheduler.execution;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The suite's executions over a window, as far as a key's jobs scope reaches.
 *
 * @param running executions running now
 * @param failedLastHour executions that ended FAILED or TIMED_OUT in the hour before {@code until}
 * @param perMinute each minute of the window, oldest first, with the executions that ended in it by status
 */
record ExecutionSummary(Instant since, Instant until, long running, long failedLastHour, List<Minute> perMinute) {

    /** One minute of a summary: the executions that ended in it, by their final status. */
    record Minute(Instant minute, Map<ExecutionStatus, Long> counts) {}
}
