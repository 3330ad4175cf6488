package dev.baton.spring.boot.lock;

import dev.baton.client.lock.LockLease;
import java.util.ArrayDeque;
import java.util.Deque;

/** The leases of the {@link BatonLocked} methods running on the current thread. */
public final class BatonLocks {

    private static final ThreadLocal<Deque<LockLease>> LEASES = ThreadLocal.withInitial(ArrayDeque::new);

    private BatonLocks() {}

    /**
     * The lease of the innermost {@link BatonLocked} method running on this thread.
     *
     * @throws IllegalStateException when no such method is running on this thread
     */
    public static LockLease currentLease() {
        LockLease lease = LEASES.get().peek();
        if (lease == null) {
            throw new IllegalStateException("No @BatonLocked method is running on this thread");
        }
        return lease;
    }

    static void enter(LockLease lease) {
        LEASES.get().push(lease);
    }

    static void exit() {
        Deque<LockLease> leases = LEASES.get();
        leases.pop();
        if (leases.isEmpty()) {
            LEASES.remove();
        }
    }
}
