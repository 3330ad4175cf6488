package dev.baton.scheduler.log;

import java.util.List;

/**
 * A page of an execution's log.
 *
 * @param attempt the execution's latest attempt, 0 before the first
 * @param finished whether the execution has its final status: a worker that uses the SDK has sent
 *        every line of its attempt by then
 * @param attempts what each attempt that logged keeps
 * @param items the lines, by seq
 * @param nextCursor pass it as {@code cursor} for the next page; null on the last page, when the next
 *        lines are those after the index ({@code X-Baton-Index})
 */
record LogPage(
        long executionId,
        int attempt,
        boolean finished,
        List<AttemptLog> attempts,
        List<LogLine> items,
        String nextCursor) {

    /**
     * What one attempt's log keeps.
     *
     * @param lines the lines it keeps, the TRUNCATED marker left out
     * @param bytes their text, in UTF-8 bytes, which baton.scheduler.logs.max-attempt-size caps
     * @param truncated whether it reached the cap, and later lines were dropped
     */
    record AttemptLog(int attempt, int lines, long bytes, boolean truncated) {}
}
