package dev.baton.client.worker;

import java.time.Instant;

/**
 * Where the lines a task logs through its {@link TaskContext} go. The SDK's sends them to the
 * scheduler, into the log of the task's attempt; a test of a task passes its own.
 */
@FunctionalInterface
public interface TaskLog {

    /** Takes a line logged at {@code at}; it must not block. */
    void append(Instant at, String text);
}
