package dev.baton.scheduler.sql;

import java.util.function.Supplier;
import org.springframework.dao.TransientDataAccessException;

/**
 * A definition's change that PostgreSQL aborted for a deadlock with a replica's claim (a job's
 * trigger, a workflow's run) runs again: the claim locks executions or runs first and the
 * definition's row second, the change the other way round.
 */
public final class Deadlocks {

    private static final int MAX_TRIES = 3;

    private Deadlocks() {}

    /** Runs the change, again when it was aborted for a deadlock, up to three times in all. */
    public static <T> T retried(Supplier<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return change.get();
            } catch (TransientDataAccessException e) {
                if (attempt == MAX_TRIES) {
                    throw e;
                }
            }
        }
    }
}
