package dev.baton.lock.lease;

import dev.baton.common.web.BlockingQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Grants, renews and releases leases, and holds waiting requests without a thread or a database
 * connection: a waiting request is a future, completed when its waiter is granted.
 *
 * <p>A waiter is granted by whichever transaction frees room for it (a release, an expiry, a
 * force-release, a withdrawal), on any replica. When that transaction ran on this replica the
 * waiter is completed right after commit; otherwise this replica learns of it through
 * {@code LISTEN/NOTIFY} ({@link LeaseEventsConfiguration}). For each resource with local waiters a
 * timer is armed at its next lease expiry or waiter deadline, so an expiry wakes waiters at once
 * rather than at the next sweep. Thread-safe.
 */
@Service
public class LeaseService implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseService.class);

    private final LeaseStore store;
    private final LeaseMetrics metrics;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(threads("lease-timer"));
    private final ExecutorService work = Executors.newFixedThreadPool(4, threads("lease-work"));
    private final Map<UUID, PendingWait> pending = new ConcurrentHashMap<>();
    private final Map<ResourceKey, Set<UUID>> waitingOn = new ConcurrentHashMap<>();
    private final Map<ResourceKey, ScheduledFuture<?>> rechecks = new ConcurrentHashMap<>();
    private final Map<ResourceKey, Set<CompletableFuture<Void>>> watchers = new ConcurrentHashMap<>();
    private volatile boolean running;

    public LeaseService(LeaseStore store, LeaseMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** A request waiting on this replica for its waiter to be granted. */
    private record PendingWait(ResourceKey resource, CompletableFuture<Lease> result, Duration maxWait, long queuedAt) {
    }

    /** Grants the lease now, or once it can be granted within the request's wait; fails with {@link NotGrantedException}. */
    public CompletableFuture<Lease> acquire(LeaseRequest request) {
        ResourceKey key = request.resource();
        UUID id = UUID.randomUUID();
        boolean mayQueue = !request.maxWait().isZero();
        PendingWait own = new PendingWait(key, new CompletableFuture<>(), request.maxWait(), System.nanoTime());
        if (mayQueue) {
            // Registered before the transaction commits, so a grant that follows at once finds it.
            register(id, own);
        }
        LeaseStore.Attempt attempt;
        try {
            attempt = store.acquire(request, id, mayQueue);
        } catch (RuntimeException e) {
            unregister(id);
            throw e;
        }
        if (!(attempt instanceof LeaseStore.Queued queued && queued.waiterId().equals(id))) {
            unregister(id);
        }
        handle(attempt.change());
        if (attempt instanceof LeaseStore.Granted granted) {
            metrics.granted(key.kind(), null);
            return CompletableFuture.completedFuture(granted.lease());
        }
        if (attempt instanceof LeaseStore.Refused refused) {
            metrics.refused(key.kind());
            return CompletableFuture.failedFuture(new NotGrantedException(key, request.maxWait(), refused.holders()));
        }
        if (attempt instanceof LeaseStore.LimitMismatch mismatch) {
            return CompletableFuture.failedFuture(new LimitMismatchException(key, mismatch.limit(), request.limit()));
        }
        UUID waiterId = ((LeaseStore.Queued) attempt).waiterId();
        metrics.queued(key.kind());
        // Our own waiter may be granted already; a retry with the request id of a waiter queued by
        // an earlier request joins that waiter.
        PendingWait wait = waiterId.equals(id) ? own : pending.computeIfAbsent(waiterId, adopted -> {
            waitingOn.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(adopted);
            return new PendingWait(key, new CompletableFuture<>(), request.maxWait(), System.nanoTime());
        });
        timers.schedule(() -> work.execute(() -> giveUp(waiterId)), request.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        return wait.result();
    }

    public Lease renew(ResourceKey key, UUID leaseId, Long ttlMs) {
        return store.renew(key, leaseId, ttlMs).orElseThrow(() -> new LeaseLostException(key, leaseId));
    }

    public void release(ResourceKey key, UUID leaseId) {
        handle(store.release(key, leaseId).orElseThrow(() -> new LeaseLostException(key, leaseId)));
    }

    public void forceRelease(ResourceKey key) {
        LeaseStore.Change change = store.forceRelease(key);
        log.info("Force-released every lease on {} '{}'", key.kind(), key.name());
        handle(change);
    }

    /** The resource now, or (for a blocking query) once its version passes the query's index. */
    public CompletableFuture<LeaseStore.Snapshot> watch(ResourceKey key, BlockingQuery query) {
        if (!query.blocks()) {
            return CompletableFuture.completedFuture(store.inspect(key));
        }
        CompletableFuture<Void> changed = new CompletableFuture<>();
        watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(changed);
        store.watch(key, query.maxWait());
        LeaseStore.Snapshot now = store.inspect(key);
        if (now.version() > query.index()) {
            changed.complete(null);
            return CompletableFuture.completedFuture(now);
        }
        changed.whenComplete((ignored, error) -> watchers.computeIfPresent(key, (k, set) -> {
            set.remove(changed);
            return set.isEmpty() ? null : set;
        }));
        return changed.completeOnTimeout(null, query.maxWait().toMillis(), TimeUnit.MILLISECONDS)
                .thenApplyAsync(ignored -> store.inspect(key), work);
    }

    public List<LeaseStore.Summary> list(LeaseKind kind, String prefix, String cursor, int limit) {
        return store.list(kind, prefix, cursor, limit);
    }

    /** A change announced by any replica, this one included. */
    void onEvent(LeaseEvents.Event event) {
        work.execute(() -> {
            ResourceKey key = event.resource();
            if (event.granted() == null) {
                Set<UUID> local = waitingOn.get(key);
                if (local != null) {
                    findGranted(List.copyOf(local));
                }
            } else {
                findGranted(event.granted());
            }
            arm(key, event.nextEventMs());
            wakeWatchers(key);
        });
    }

    /** After the event stream was interrupted: whatever was announced meanwhile is found in the tables. */
    void recover() {
        work.execute(() -> {
            findGranted(List.copyOf(pending.keySet()));
            waitingOn.keySet().forEach(this::recheck);
            List.copyOf(watchers.keySet()).forEach(this::wakeWatchers);
        });
    }

    /** Wakes every blocking query on the resource; each reads the resource again. */
    private void wakeWatchers(ResourceKey key) {
        Set<CompletableFuture<Void>> woken = watchers.remove(key);
        if (woken != null) {
            woken.forEach(watcher -> watcher.complete(null));
        }
    }

    /** Expires leases and grants waiters on a resource; the sweeper calls it for resources nobody waits on locally. */
    void reconcile(ResourceKey key) {
        handle(store.reconcile(key));
    }

    private void handle(LeaseStore.Change change) {
        metrics.expired(change.resource().kind(), change.expired());
        change.granted().forEach(this::complete);
        arm(change.resource(), change.nextEventMs());
    }

    /** Completes the requests of this replica waiting on any of these waiters that were granted. */
    private void findGranted(List<UUID> waiterIds) {
        for (UUID id : waiterIds) {
            if (pending.containsKey(id)) {
                store.findLease(id).ifPresent(this::complete);
            }
        }
    }

    /** Completes the request waiting for this lease, if it waits on this replica. */
    private void complete(Lease lease) {
        PendingWait wait = unregister(lease.leaseId());
        if (wait != null) {
            metrics.granted(wait.resource().kind(), Duration.ofNanos(System.nanoTime() - wait.queuedAt()));
            wait.result().complete(lease);
        }
    }

    private void giveUp(UUID waiterId) {
        PendingWait wait = pending.get(waiterId);
        if (wait == null || wait.result().isDone()) {
            return;
        }
        try {
            withdraw(waiterId, wait, () -> {
                metrics.refused(wait.resource().kind());
                return new NotGrantedException(wait.resource(), wait.maxWait(), store.inspect(wait.resource()).holders());
            });
        } catch (RuntimeException e) {
            log.warn("Could not withdraw waiter {} on {}; retrying", waiterId, wait.resource(), e);
            timers.schedule(() -> work.execute(() -> giveUp(waiterId)), 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Withdraws a waiter of this replica: its request gets the lease when the waiter was granted
     * first, else fails with what {@code notGranted} supplies.
     */
    private void withdraw(UUID waiterId, PendingWait wait, Supplier<? extends Throwable> notGranted) {
        LeaseStore.Withdrawal withdrawal = store.withdraw(wait.resource(), waiterId);
        withdrawal.lease().ifPresentOrElse(this::complete, () -> {
            if (unregister(waiterId) != null) {
                wait.result().completeExceptionally(notGranted.get());
            }
        });
        handle(withdrawal.change());
    }

    /** Arms the timer of a resource with local waiters at its next event; disarms it when there is none. */
    private void arm(ResourceKey key, long nextEventMs) {
        boolean localWaiters = waitingOn.containsKey(key);
        rechecks.compute(key, (k, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            if (!localWaiters || nextEventMs < 0) {
                return null;
            }
            return timers.schedule(() -> work.execute(() -> recheck(k)), nextEventMs, TimeUnit.MILLISECONDS);
        });
    }

    private void recheck(ResourceKey key) {
        if (!waitingOn.containsKey(key)) {
            return;
        }
        try {
            reconcile(key);
        } catch (RuntimeException e) {
            log.warn("Could not settle {} '{}'; retrying", key.kind(), key.name(), e);
            arm(key, 1000);
        }
    }

    private void register(UUID id, PendingWait wait) {
        pending.put(id, wait);
        waitingOn.computeIfAbsent(wait.resource(), k -> ConcurrentHashMap.newKeySet()).add(id);
    }

    private PendingWait unregister(UUID id) {
        PendingWait wait = pending.remove(id);
        if (wait != null) {
            waitingOn.computeIfPresent(wait.resource(), (k, ids) -> {
                ids.remove(id);
                return ids.isEmpty() ? null : ids;
            });
        }
        return wait;
    }

    /** Waiting requests withdraw before the web server drains, so no lease is granted to a request that is gone. */
    @Override
    public void stop() {
        running = false;
        for (UUID id : List.copyOf(pending.keySet())) {
            PendingWait wait = pending.get(id);
            if (wait == null) {
                continue;
            }
            try {
                withdraw(id, wait, () -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                        "This lock-service replica is shutting down; retry with the same requestId."));
            } catch (RuntimeException e) {
                log.warn("Could not withdraw waiter {} at shutdown; its grant, if any, expires by its TTL", id, e);
            }
        }
        timers.shutdownNow();
        work.shutdown();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
