package dev.baton.lock.engine;

/**
 * This replica cannot go on waiting for a request: it is shutting down, or it lost its place in
 * the database while cut off from it. The request may be retried, on any replica, with the same
 * requestId.
 */
public class ReplicaUnavailableException extends RuntimeException {

    public ReplicaUnavailableException(String message) {
        super(message);
    }
}
