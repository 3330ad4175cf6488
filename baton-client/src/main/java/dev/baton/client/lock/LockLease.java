package dev.baton.client.lock;

import dev.baton.http.BatonException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lock. With automatic renewal, a watchdog renews it at a third of its TTL; the lease
 * <em>fails closed</em>: as soon as a renewal is refused (the lease expired or was revoked) or
 * the last successful renewal's TTL has run out without another, the lease is lost:
 * {@link #isValid()} turns false and every {@link #onLost} listener is called, once. A loss is
 * logged as a warning, except the end of a lease without automatic renewal at its TTL: its
 * holder chose that end.
 *
 * <p>Validity is judged conservatively on this process's monotonic clock, from the moment each
 * renewal was sent, so it ends no later than the server's expiry. Thread-safe.
 */
public final class LockLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LockLease.class);

    private final Locks locks;
    private final String name;
    private final UUID leaseId;
    private final long token;
    private final boolean renewsAutomatically;
    private final List<Consumer<LockLease>> lostListeners = new CopyOnWriteArrayList<>();
    private volatile Duration ttl;
    private volatile long validUntilNanos;
    private volatile boolean lost;
    private volatile boolean closed;
    private ScheduledFuture<?> renewal;
    private ScheduledFuture<?> expiry;

    LockLease(
            Locks locks,
            String name,
            UUID leaseId,
            long token,
            Duration ttl,
            long sentAtNanos,
            boolean renewAutomatically) {
        this.locks = locks;
        this.name = name;
        this.leaseId = leaseId;
        this.token = token;
        this.ttl = ttl;
        this.renewsAutomatically = renewAutomatically;
        synchronized (this) {
            extendValidity(sentAtNanos, ttl);
            if (renewAutomatically) {
                // After a long wait for the grant, little of the first window may be left: the
                // first renewal comes when a third of what is left has passed.
                long period = Math.max(1, ttl.toMillis() / 3);
                long left = TimeUnit.NANOSECONDS.toMillis(validUntilNanos - System.nanoTime());
                long first = Math.max(0, Math.min(period, left / 3));
                renewal = locks.scheduler()
                        .scheduleWithFixedDelay(this::renewQuietly, first, period, TimeUnit.MILLISECONDS);
            }
        }
    }

    public String name() {
        return name;
    }

    public UUID leaseId() {
        return leaseId;
    }

    /** The fencing token: pass it to every resource this lock protects (see {@code FencedWrites}). */
    public long token() {
        return token;
    }

    /** Whether this process still holds the lease; false from the moment it may not. */
    public boolean isValid() {
        return !lost && !closed && System.nanoTime() - validUntilNanos < 0;
    }

    /** Calls {@code listener} once when the lease is lost; at once if it already is. */
    public void onLost(Consumer<LockLease> listener) {
        lostListeners.add(listener);
        if (lost) {
            listener.accept(this);
        }
    }

    /**
     * Renews the lease now, for {@code newTtl} from now.
     *
     * @throws BatonException when the renewal failed; with status 410 the lease is lost
     */
    public void renew(Duration newTtl) {
        long sentAt = System.nanoTime();
        try {
            locks.renew(name, leaseId, newTtl);
        } catch (BatonException e) {
            if (e.status() == 410) {
                markLost("the lock service reports it lost (expired or revoked)", true);
            }
            throw e;
        }
        this.ttl = newTtl;
        extendValidity(sentAt, newTtl);
    }

    private void renewQuietly() {
        if (lost || closed) {
            return;
        }
        try {
            renew(ttl);
        } catch (BatonException e) {
            if (!lost) {
                log.warn(
                        "Could not renew lease {} on lock '{}' ({}); it stays valid until its TTL runs out",
                        leaseId,
                        name,
                        e.getMessage());
            }
        }
    }

    private synchronized void extendValidity(long sentAtNanos, Duration newTtl) {
        validUntilNanos = sentAtNanos + newTtl.toNanos();
        if (expiry != null) {
            expiry.cancel(false);
        }
        long remaining = validUntilNanos - System.nanoTime();
        expiry = locks.scheduler().schedule(this::ranOut, Math.max(0, remaining), TimeUnit.NANOSECONDS);
    }

    private void ranOut() {
        if (renewsAutomatically) {
            markLost("no renewal succeeded within its TTL", true);
        } else {
            markLost("its TTL ran out", false);
        }
    }

    /** Ends the lease; {@code unexpected} for a loss its holder did not choose, logged as a warning. */
    private void markLost(String why, boolean unexpected) {
        synchronized (this) {
            if (lost || closed) {
                return;
            }
            lost = true;
            cancelTimers();
        }
        if (unexpected) {
            log.warn("Lost lease {} on lock '{}': {}", leaseId, name, why);
        } else {
            log.debug("Lease {} on lock '{}' ended: {}", leaseId, name, why);
        }
        for (Consumer<LockLease> listener : lostListeners) {
            try {
                listener.accept(this);
            } catch (RuntimeException e) {
                log.error("A lease-lost listener failed", e);
            }
        }
    }

    private void cancelTimers() {
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    /** Stops renewing and releases the lease; a lease already lost is not released again. */
    @Override
    public void close() {
        boolean release;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            release = !lost;
            cancelTimers();
        }
        if (release) {
            try {
                locks.release(name, leaseId);
            } catch (BatonException e) {
                if (e.status() != 410) {
                    throw e;
                }
            }
        }
    }
}
