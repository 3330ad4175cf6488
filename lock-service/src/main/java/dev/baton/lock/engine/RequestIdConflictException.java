package dev.baton.lock.engine;

/** A requestId sent again by its caller, but with other parameters than the first time. */
public class RequestIdConflictException extends RuntimeException {

    public RequestIdConflictException(ResourceKey resource, String requestId, String first, String now) {
        super("requestId '" + requestId + "' on " + resource.kind().name().toLowerCase() + " '" + resource.name()
                + "' was first sent with " + first + "; this retry asks for " + now
                + ". Use a new requestId for a different request.");
    }
}
