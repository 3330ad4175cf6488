package dev.baton.client.lock;

import dev.baton.http.BatonException;
import dev.baton.http.BatonHttp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import tools.jackson.databind.JsonNode;

/** Baton's locks, as a Java API. */
public final class Locks {

    static final String NOT_GRANTED = "urn:baton:problem:not-granted";
    static final String LEASE_LOST = "urn:baton:problem:lease-lost";

    private final BatonHttp http;
    private final String owner;
    private final ScheduledExecutorService scheduler;

    /**
     * @param http Baton's API
     * @param owner who takes the locks, as lock inspections name it
     * @param scheduler runs renewals and expiry checks, shared by every lease
     */
    public Locks(BatonHttp http, String owner, ScheduledExecutorService scheduler) {
        this.http = http;
        this.owner = owner;
        this.scheduler = scheduler;
    }

    /** How to share a lock. */
    public enum Mode {
        EXCLUSIVE,
        SHARED
    }

    /**
     * Takes an exclusive lock, renewed automatically until the lease is closed.
     *
     * @param name the lock's name
     * @param ttl how long the lease outlives this process if it stops renewing
     * @param wait how long to wait for the grant; zero tries once
     * @throws LockNotGrantedException when the lock was not granted within {@code wait}
     */
    public LockLease acquire(String name, Duration ttl, Duration wait) {
        return acquire(name, ttl, wait, Mode.EXCLUSIVE, true);
    }

    /**
     * Takes a lock.
     *
     * @param renewAutomatically whether a watchdog renews the lease at a third of its TTL
     * @throws LockNotGrantedException when the lock was not granted within {@code wait}
     */
    public LockLease acquire(String name, Duration ttl, Duration wait, Mode mode, boolean renewAutomatically) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("owner", owner);
        body.put("ttlMs", ttl.toMillis());
        body.put("waitMs", wait.toMillis());
        body.put("mode", mode.name());
        // A retry of this very call (after a lost answer) returns the same lease, not a second one.
        body.put("requestId", UUID.randomUUID().toString());
        JsonNode lease;
        // The lease may have been granted at any moment after the request left: its validity
        // counts from then, so that this process gives it up no later than the server does.
        long sentAt = System.nanoTime();
        try {
            lease = http.call("POST", leasesPath(name), body, wait, true);
        } catch (BatonException e) {
            if (NOT_GRANTED.equals(e.type())) {
                throw new LockNotGrantedException(e);
            }
            throw e;
        }
        return new LockLease(
                this,
                name,
                UUID.fromString(lease.path("leaseId").asString()),
                lease.path("token").asLong(),
                ttl,
                sentAt,
                renewAutomatically);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Renews a lease by {@code ttl}; a {@link BatonException} with status 410 when it is lost. */
    void renew(String name, UUID leaseId, Duration ttl) {
        http.call("PUT", leasesPath(name) + "/" + leaseId, Map.of("ttlMs", ttl.toMillis()), Duration.ZERO);
    }

    void release(String name, UUID leaseId) {
        http.call("DELETE", leasesPath(name) + "/" + leaseId, null, Duration.ZERO);
    }

    private static String leasesPath(String name) {
        return "/api/v1/locks/" + name.replace("/", "%2F") + "/leases";
    }
}
