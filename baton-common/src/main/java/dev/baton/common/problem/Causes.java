package dev.baton.common.problem;

/** Finds what an exception was caused by, for handlers that answer by root cause. */
public final class Causes {

    private Causes() {}

    /** The first throwable of type {@code type} in the cause chain of {@code ex} (itself included), or null. */
    public static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
