package dev.baton.spring.boot.lock;

/**
 * A {@link BatonLocked} method whose lease was lost before it was done: what it did after the loss
 * was not under the lock, and its writes must be refused by their fencing token.
 */
public class LeaseLostException extends IllegalStateException {

    private final String lockName;
    private final long token;

    LeaseLostException(String lockName, long token, Throwable methodFailure) {
        super(
                "The lease on lock '" + lockName + "' (token " + token + ") was lost before the method was done",
                methodFailure);
        this.lockName = lockName;
        this.token = token;
    }

    public String lockName() {
        return lockName;
    }

    /** The fencing token of the lost lease. */
    public long token() {
        return token;
    }
}
