package dev.baton.lock.engine;

/** A semaphore asked for with another limit than its current holders and waiters use. */
public class LimitMismatchException extends RuntimeException {

    private final int limit;

    public LimitMismatchException(ResourceKey resource, int limit, int requested) {
        super("Semaphore '" + resource.name() + "' has limit " + limit + " while it is held or awaited; this request "
                + "asked for limit " + requested + ".");
        this.limit = limit;
    }

    /** The limit the semaphore has. */
    public int limit() {
        return limit;
    }
}
