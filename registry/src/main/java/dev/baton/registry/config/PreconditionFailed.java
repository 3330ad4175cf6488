package dev.baton.registry.config;

/** Thrown when a write's precondition does not hold. */
final class PreconditionFailed extends RuntimeException {

    private final Long current;

    PreconditionFailed(Long current) {
        super(current == null ? "The key does not exist" : "The key is at version " + current);
        this.current = current;
    }

    /** The key's version, or null when it does not exist. */
    Long current() {
        return current;
    }
}
