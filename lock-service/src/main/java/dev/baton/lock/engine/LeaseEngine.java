package dev.baton.lock.engine;

import dev.baton.common.web.BlockingQuery;
import dev.baton.http.Backoff;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Grants, renews and releases leases, and holds waiting requests without a thread or a database
 * connection: a waiting request is a future, completed when its waiter is granted, and cancelling
 * that future withdraws the waiter.
 *
 * <p>A waiter is granted by whichever call frees room for it (a release, an expiry, a
 * force-release, a withdrawal), on any replica. When that call ran on this replica the waiter is
 * completed from its reply; otherwise this replica learns of it through {@code LISTEN/NOTIFY},
 * whose payload carries what the request lacks of its lease. For each resource with local waiters
 * a timer is armed at its next lease expiry or waiter deadline, so an expiry hands over at once.
 *
 * <p>A waiter lives only as long as its replica: the replica heartbeats in the database, and a
 * replica whose heartbeat lapsed, or whose LISTEN connection's backend is gone, has its waiters
 * removed instead of granted. Thread-safe.
 */
@Service
public class LeaseEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseEngine.class);
    /** Retries of a call that failed (the database away): spread, so replicas do not retry in step. */
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

    private final LeaseStore store;
    private final LeaseMetrics metrics;
    private final LeaseProperties properties;
    private final UUID replica = UUID.randomUUID();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(threads("lease-timer"));
    private final ExecutorService work = Executors.newFixedThreadPool(4, threads("lease-work"));
    private final Map<UUID, PendingWait> pending = new ConcurrentHashMap<>();
    private final Map<ResourceKey, Set<UUID>> waitingOn = new ConcurrentHashMap<>();
    private final Map<ResourceKey, ScheduledFuture<?>> rechecks = new ConcurrentHashMap<>();
    private final Map<ResourceKey, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    private final Set<ListingWatcher> listingWatchers = ConcurrentHashMap.newKeySet();
    private volatile Listener listener;
    private volatile boolean alive;
    private volatile boolean running;

    LeaseEngine(LeaseStore store, LeaseMetrics metrics, LeaseProperties properties) {
        this.store = store;
        this.metrics = metrics;
        this.properties = properties;
    }

    /**
     * A waiter of this replica, and the requests waiting for it: one, or more when retries with
     * its requestId joined it.
     */
    private record PendingWait(
            LeaseRequest request, CompletableFuture<Lease> result, long queuedAt, AtomicInteger requests) {

        PendingWait(LeaseRequest request) {
            this(request, new CompletableFuture<>(), System.nanoTime(), new AtomicInteger());
        }

        ResourceKey resource() {
            return request.resource();
        }
    }

    /** A blocking query waiting for a resource's version to pass its index. */
    private record Watcher(long index, CompletableFuture<Snapshot> result) {}

    /** A blocking query over the resources of a kind whose names start with {@code prefix}. */
    private record ListingWatcher(LeaseKind kind, String prefix, long index, CompletableFuture<Long> result) {

        boolean covers(ResourceKey key) {
            return key.kind() == kind && key.name().startsWith(prefix);
        }
    }

    /** The backend of this replica's LISTEN connection, as {@code pg_stat_activity} shows it. */
    private record Listener(int pid, OffsetDateTime started) {}

    /**
     * Grants the lease now, or once it can be granted within the request's wait; fails with
     * {@link NotGrantedException}, {@link LimitMismatchException} or
     * {@link RequestIdConflictException}. Cancelling the future while it waits withdraws the
     * waiter, and releases the lease if it was granted meanwhile.
     */
    public CompletableFuture<Lease> acquire(LeaseRequest request) {
        ResourceKey key = request.resource();
        UUID id = UUID.randomUUID();
        boolean mayQueue = !request.maxWait().isZero();
        PendingWait own = new PendingWait(request);
        if (mayQueue) {
            // Registered before the call commits, so a grant that follows at once finds it.
            register(id, own);
        }
        LeaseStore.Reply reply;
        try {
            reply = store.acquire(request, id, mayQueue, replica);
        } catch (RuntimeException e) {
            unregister(id);
            throw e;
        }
        LeaseStore.Outcome answer = reply.answer();
        if (answer.what() != LeaseStore.What.QUEUED || !answer.id().equals(id)) {
            unregister(id);
        }
        handle(reply.change());
        switch (answer.what()) {
            case GRANTED -> {
                metrics.granted(key.kind(), null);
                return CompletableFuture.completedFuture(answer.lease(key));
            }
            case REFUSED -> {
                metrics.refused(key.kind());
                return CompletableFuture.failedFuture(new NotGrantedException(key, request.maxWait(), reply.holders()));
            }
            case LIMIT -> {
                return CompletableFuture.failedFuture(
                        new LimitMismatchException(key, answer.permits(), request.limit()));
            }
            case CONFLICT -> {
                return CompletableFuture.failedFuture(new RequestIdConflictException(
                        key, request.requestId(), answer.value(), request.fingerprint()));
            }
            case QUEUED -> {
                metrics.queued(key.kind());
                // A retry with the requestId of a waiter queued by an earlier request joins that waiter.
                UUID waiterId = answer.id();
                PendingWait wait = waiterId.equals(id)
                        ? own
                        : pending.computeIfAbsent(waiterId, adopted -> {
                            waitingOn
                                    .computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                                    .add(adopted);
                            return new PendingWait(request);
                        });
                // Each request gets its own future: the waiter is abandoned when the last of them is cancelled.
                CompletableFuture<Lease> mine = new CompletableFuture<>();
                wait.requests().incrementAndGet();
                wait.result().whenComplete((lease, error) -> {
                    if (error == null) {
                        mine.complete(lease);
                    } else {
                        mine.completeExceptionally(error);
                    }
                });
                mine.whenComplete((lease, error) -> {
                    if (error instanceof CancellationException
                            && wait.requests().decrementAndGet() == 0) {
                        work.execute(() -> abandon(waiterId, wait, 1));
                    }
                });
                timers.schedule(
                        () -> work.execute(() -> giveUp(waiterId, 1)),
                        request.maxWait().toMillis(),
                        TimeUnit.MILLISECONDS);
                return mine;
            }
            default -> throw new IllegalStateException("lease_acquire answered " + answer.what());
        }
    }

    /** Extends a valid lease; fails with {@link LeaseLostException} when it is not valid any more. */
    public Lease renew(ResourceKey key, UUID leaseId, Long ttlMs) {
        LeaseStore.Outcome answer = store.renew(key, leaseId, ttlMs).answer();
        if (answer.what() != LeaseStore.What.RENEWED) {
            throw new LeaseLostException(key, leaseId);
        }
        return answer.lease(key);
    }

    /**
     * Ends a lease and grants waiters that can now go; fails with {@link LeaseLostException} when
     * the lease was not valid any more, after granting whoever its expiry let go.
     */
    public void release(ResourceKey key, UUID leaseId) {
        LeaseStore.Reply reply = store.release(key, leaseId);
        handle(reply.change());
        if (reply.answer().what() != LeaseStore.What.RELEASED) {
            throw new LeaseLostException(key, leaseId);
        }
    }

    /** Revokes every lease on a resource; their holders learn it at their next renewal (410). */
    public void forceRelease(ResourceKey key) {
        LeaseStore.Reply reply = store.forceRelease(key);
        log.info("Force-released every lease on {} '{}'", key.kind(), key.name());
        handle(reply.change());
    }

    /**
     * The resource now, or (for a blocking query) once its version passes the query's index or
     * its wait ends. Reads only: changes made on this replica wake it at once, those of other
     * replicas when they are announced or at the next poll of watched versions.
     */
    public CompletableFuture<Snapshot> watch(ResourceKey key, BlockingQuery query) {
        if (!query.blocks()) {
            return CompletableFuture.completedFuture(store.inspect(key));
        }
        Watcher watcher = new Watcher(query.index(), new CompletableFuture<>());
        watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(watcher);
        Snapshot now = store.inspect(key);
        if (now.version() > query.index()) {
            unwatch(key, watcher);
            watcher.result().complete(now);
        } else {
            timers.schedule(
                    () -> work.execute(() -> {
                        if (unwatch(key, watcher)) {
                            answer(watcher, key);
                        }
                    }),
                    query.maxWait().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return watcher.result();
    }

    public List<Summary> list(LeaseKind kind, String prefix, String cursor, int limit) {
        return store.list(kind, prefix, cursor, limit);
    }

    /** How many valid leases the resources of {@code kind} under {@code prefix} have. */
    public long leases(LeaseKind kind, String prefix) {
        return store.leases(kind, prefix);
    }

    /**
     * The index of the listing of {@code kind} by {@code prefix} now, or once it passes the
     * query's: a blocking query over a listing. Changes on this replica and those announced wake
     * it at once, others at the next poll of watched versions.
     */
    public CompletableFuture<Long> watchListing(LeaseKind kind, String prefix, BlockingQuery query) {
        if (!query.blocks()) {
            return CompletableFuture.completedFuture(store.listingIndex(kind, prefix));
        }
        ListingWatcher watcher = new ListingWatcher(kind, prefix, query.index(), new CompletableFuture<>());
        listingWatchers.add(watcher);
        long now = store.listingIndex(kind, prefix);
        if (now > query.index()) {
            listingWatchers.remove(watcher);
            watcher.result().complete(now);
        } else {
            timers.schedule(
                    () -> work.execute(() -> {
                        if (listingWatchers.remove(watcher)) {
                            answer(watcher);
                        }
                    }),
                    query.maxWait().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return watcher.result();
    }

    /** A change announced by any replica, this one included. */
    void onEvent(LeaseEvents.Event event) {
        work.execute(() -> {
            ResourceKey key = event.resource();
            if (event.granted() == null) {
                Set<UUID> local = waitingOn.get(key);
                if (local != null) {
                    for (UUID id : List.copyOf(local)) {
                        store.findLease(id).ifPresent(this::complete);
                    }
                }
            } else {
                for (LeaseEvents.GrantNotice grant : event.granted()) {
                    PendingWait wait = pending.get(grant.waiterId());
                    if (wait != null) {
                        LeaseRequest request = wait.request();
                        complete(new Lease(
                                grant.waiterId(),
                                key,
                                request.owner(),
                                request.mode(),
                                request.permits(),
                                grant.token(),
                                request.value(),
                                request.ttl().toMillis(),
                                grant.grantedAt(),
                                grant.expiresAt()));
                    }
                }
            }
            arm(key, event.nextEventMs());
            wake(key);
            wakeListings(key);
        });
    }

    /**
     * The LISTEN connection is (again) open, on this backend: this replica is alive from now on.
     * When it was cut off, announcements and perhaps its waiters were lost: what happened
     * meanwhile is found in the tables.
     */
    void listening(int pid, OffsetDateTime started, boolean reconnected) {
        listener = new Listener(pid, started);
        heartbeat();
        if (reconnected) {
            recover();
        }
    }

    /** Records that this replica is alive; after a lapse, finds out what became of its waiters. */
    void heartbeat() {
        Listener current = listener;
        if (current == null) {
            return;
        }
        boolean wasAlive = store.heartbeat(replica, current.pid(), current.started(), properties.replicaTtl());
        if (alive && !wasAlive) {
            log.warn("This replica's heartbeat lapsed; checking its waiting requests");
            recover();
        }
        alive = true;
    }

    /** Settles resources whose leases expired or whose waiters are gone; one replica at a time. */
    void sweep(int limit) {
        store.resourcesToSweep(limit).forEach(this::reconcile);
        store.forgetDeadReplicas(Duration.ofMinutes(1));
    }

    /** Wakes blocking queries whose resources changed on another replica, unannounced. */
    void pollWatched() {
        List.copyOf(listingWatchers).forEach(this::recheckListing);
        List<ResourceKey> keys = List.copyOf(watchers.keySet());
        if (keys.isEmpty()) {
            return;
        }
        List<Long> versions = store.versions(keys);
        for (int i = 0; i < keys.size(); i++) {
            long version = versions.get(i);
            Set<Watcher> set = watchers.get(keys.get(i));
            if (set != null && set.stream().anyMatch(watcher -> version > watcher.index())) {
                wake(keys.get(i));
            }
        }
    }

    private void recover() {
        work.execute(() -> {
            for (Map.Entry<UUID, PendingWait> entry : List.copyOf(pending.entrySet())) {
                UUID id = entry.getKey();
                store.findLease(id).ifPresentOrElse(this::complete, () -> {
                    if (!store.isQueued(id) && unregister(id) != null) {
                        entry.getValue()
                                .result()
                                .completeExceptionally(new ReplicaUnavailableException(
                                        "This lock-service replica lost its place in the queue while cut off from the "
                                                + "database; retry, with the same requestId."));
                    }
                });
            }
            waitingOn.keySet().forEach(this::recheck);
            List.copyOf(watchers.keySet()).forEach(this::wake);
        });
    }

    /** Answers every blocking query on the resource whose index its version passed. */
    private void wake(ResourceKey key) {
        Set<Watcher> woken = watchers.remove(key);
        if (woken == null || woken.isEmpty()) {
            return;
        }
        Snapshot now = store.inspect(key);
        for (Watcher watcher : woken) {
            if (now.version() > watcher.index()) {
                watcher.result().complete(now);
            } else if (!watcher.result().isDone()) {
                watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                        .add(watcher);
            }
        }
    }

    private void wakeListings(ResourceKey key) {
        List.copyOf(listingWatchers).stream()
                .filter(watcher -> watcher.covers(key))
                .forEach(this::recheckListing);
    }

    /** Answers a listing's blocking query whose index has passed its own. */
    private void recheckListing(ListingWatcher watcher) {
        long now = store.listingIndex(watcher.kind(), watcher.prefix());
        if (now > watcher.index() && listingWatchers.remove(watcher)) {
            watcher.result().complete(now);
        }
    }

    private void answer(ListingWatcher watcher) {
        try {
            watcher.result().complete(store.listingIndex(watcher.kind(), watcher.prefix()));
        } catch (RuntimeException e) {
            watcher.result().completeExceptionally(e);
        }
    }

    private boolean unwatch(ResourceKey key, Watcher watcher) {
        boolean[] removed = new boolean[1];
        watchers.computeIfPresent(key, (k, set) -> {
            removed[0] = set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    private void answer(Watcher watcher, ResourceKey key) {
        try {
            watcher.result().complete(store.inspect(key));
        } catch (RuntimeException e) {
            watcher.result().completeExceptionally(e);
        }
    }

    /** Expires leases and grants waiters on a resource. */
    private void reconcile(ResourceKey key) {
        handle(store.reconcile(key).change());
    }

    private void handle(LeaseStore.Change change) {
        metrics.expired(change.resource().kind(), change.expired());
        change.granted().forEach(grant -> complete(grant.lease()));
        arm(change.resource(), change.nextEventMs());
        if (watchers.containsKey(change.resource())) {
            work.execute(() -> wake(change.resource()));
        }
        if (listingWatchers.stream().anyMatch(watcher -> watcher.covers(change.resource()))) {
            work.execute(() -> wakeListings(change.resource()));
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

    /** The request's wait is over: withdraws its waiter, unless it was granted first. */
    private void giveUp(UUID waiterId, int attempt) {
        PendingWait wait = pending.get(waiterId);
        if (wait == null || wait.result().isDone()) {
            return;
        }
        try {
            LeaseStore.Reply reply = store.withdraw(wait.resource(), waiterId, false);
            LeaseStore.Outcome answer = reply.answer();
            if (answer.what() == LeaseStore.What.GRANTED) {
                complete(answer.lease(wait.resource()));
            } else if (unregister(waiterId) != null) {
                metrics.refused(wait.resource().kind());
                wait.result()
                        .completeExceptionally(new NotGrantedException(
                                wait.resource(),
                                wait.request().maxWait(),
                                store.inspect(wait.resource()).holders()));
            }
            handle(reply.change());
        } catch (RuntimeException e) {
            long retry = RETRY.delayMillis(attempt);
            log.warn("Could not withdraw waiter {} on {}; retrying in {} ms", waiterId, wait.resource(), retry, e);
            timers.schedule(() -> work.execute(() -> giveUp(waiterId, attempt + 1)), retry, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Nobody waits for this waiter any more (its client went away, or the request ended): withdraws
     * it, and releases its lease if it was granted meanwhile, since it cannot be delivered.
     */
    private void abandon(UUID waiterId, PendingWait wait, int attempt) {
        unregister(waiterId);
        try {
            handle(store.withdraw(wait.resource(), waiterId, true).change());
        } catch (RuntimeException e) {
            long retry = RETRY.delayMillis(attempt);
            log.warn(
                    "Could not withdraw abandoned waiter {} on {}; retrying in {} ms",
                    waiterId,
                    wait.resource(),
                    retry,
                    e);
            timers.schedule(
                    () -> work.execute(() -> abandon(waiterId, wait, attempt + 1)), retry, TimeUnit.MILLISECONDS);
        }
    }

    /** Arms the timer of a resource with local waiters at its next event; disarms it when there is none. */
    private void arm(ResourceKey key, long nextEventMs) {
        boolean localWaiters = waitingOn.containsKey(key);
        if (!localWaiters && !rechecks.containsKey(key)) {
            return;
        }
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
            long retry = RETRY.delayMillis(1);
            log.warn("Could not settle {} '{}'; retrying in {} ms", key.kind(), key.name(), retry, e);
            arm(key, retry);
        }
    }

    private void register(UUID id, PendingWait wait) {
        pending.put(id, wait);
        waitingOn
                .computeIfAbsent(wait.resource(), k -> ConcurrentHashMap.newKeySet())
                .add(id);
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

    @Override
    public void start() {
        running = true;
        long heartbeat = properties.replicaHeartbeat().toMillis();
        timers.scheduleWithFixedDelay(
                () -> work.execute(() -> {
                    try {
                        heartbeat();
                    } catch (RuntimeException e) {
                        log.warn("Could not record this replica's heartbeat: {}", e.getMessage());
                    }
                }),
                heartbeat,
                heartbeat,
                TimeUnit.MILLISECONDS);
        long poll = properties.watchPoll().toMillis();
        timers.scheduleWithFixedDelay(
                () -> work.execute(() -> {
                    try {
                        pollWatched();
                    } catch (RuntimeException e) {
                        log.debug("Could not poll watched versions: {}", e.getMessage());
                    }
                }),
                poll,
                poll,
                TimeUnit.MILLISECONDS);
    }

    /** Waiting requests withdraw before the web server drains, so no lease is granted to a request that is gone. */
    @Override
    public void stop() {
        running = false;
        for (UUID id : List.copyOf(pending.keySet())) {
            PendingWait wait = unregister(id);
            if (wait == null) {
                continue;
            }
            try {
                LeaseStore.Reply reply = store.withdraw(wait.resource(), id, true);
                handle(reply.change());
            } catch (RuntimeException e) {
                log.warn(
                        "Could not withdraw waiter {} at shutdown; the other replicas remove it once this one "
                                + "is gone",
                        id,
                        e);
            }
            wait.result()
                    .completeExceptionally(new ReplicaUnavailableException(
                            "This lock-service replica is shutting down; retry with the same requestId."));
        }
        try {
            store.leave(replica);
        } catch (RuntimeException e) {
            log.warn("Could not record this replica's departure; its record lapses by itself", e);
        }
        timers.shutdownNow();
        work.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Never paused: stopping withdraws every waiting request and records this replica's
     * departure, for good, as at shutdown.
     */
    @Override
    public boolean isPauseable() {
        return false;
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
