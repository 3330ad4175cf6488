package dev.baton.client.shedlock;

import dev.baton.client.BatonClient;
import dev.baton.client.lock.LockLease;
import dev.baton.client.lock.LockNotGrantedException;
import dev.baton.client.lock.Locks;
import dev.baton.http.BatonException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@code LockProvider} on Baton's lock service, so any {@code @SchedulerLock} task
 * runs on one instance at a time without a ShedLock table of its own.
 *
 * <p>A ShedLock lock is a Baton lease with a TTL of {@code lockAtMostFor}, taken without waiting
 * and without automatic renewal, as ShedLock expects. Unlocking before {@code lockAtLeastFor}
 * has passed shortens the lease to end at {@code lockAtLeastFor} instead of releasing it, and
 * {@code extend} renews it. Every TTL is at least the lock service's shortest, 100 ms: a shorter
 * {@code lockAtMostFor}, {@code extend} or remainder of {@code lockAtLeastFor} holds the lock
 * for 100 ms. Leases are named {@code shedlock/<name>} unless a prefix is given.
 */
public final class BatonLockProvider implements ExtensibleLockProvider {

    /** The lock service's shortest TTL ({@code LeaseLimits.MIN_TTL_MS}); shorter ones are rounded up to it. */
    static final Duration MIN_TTL = Duration.ofMillis(100);

    private final Locks locks;
    private final String prefix;

    public BatonLockProvider(BatonClient client) {
        this(client, "shedlock/");
    }

    public BatonLockProvider(BatonClient client, String prefix) {
        this.locks = client.locks();
        this.prefix = prefix;
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        try {
            LockLease lease = locks.acquire(
                    prefix + configuration.getName(),
                    ttl(configuration.getLockAtMostFor()),
                    Duration.ZERO,
                    Locks.Mode.EXCLUSIVE,
                    false);
            return Optional.of(new BatonLock(configuration, lease));
        } catch (LockNotGrantedException held) {
            return Optional.empty();
        }
    }

    private static Duration ttl(Duration wanted) {
        return wanted.compareTo(MIN_TTL) < 0 ? MIN_TTL : wanted;
    }

    private static final class BatonLock extends AbstractSimpleLock {

        private final LockLease lease;

        BatonLock(LockConfiguration configuration, LockLease lease) {
            super(configuration);
            this.lease = lease;
        }

        @Override
        protected void doUnlock() {
            Duration untilLeast = Duration.between(Instant.now(), lockConfiguration.getLockAtLeastUntil());
            if (untilLeast.compareTo(Duration.ZERO) > 0 && lease.isValid()) {
                try {
                    lease.renew(ttl(untilLeast));
                    return;
                } catch (BatonException e) {
                    if (e.status() == 410) {
                        return;
                    }
                    throw e;
                }
            }
            lease.close();
        }

        @Override
        protected Optional<SimpleLock> doExtend(LockConfiguration newConfiguration) {
            if (!lease.isValid()) {
                // Past its TTL on this process's clock: the lease has ended, or is about to.
                return Optional.empty();
            }
            try {
                lease.renew(ttl(newConfiguration.getLockAtMostFor()));
                return Optional.of(new BatonLock(newConfiguration, lease));
            } catch (BatonException e) {
                if (e.status() == 410) {
                    return Optional.empty();
                }
                throw e;
            }
        }
    }
}
