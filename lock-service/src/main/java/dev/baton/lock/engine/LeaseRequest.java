package dev.baton.lock.engine;

import java.time.Duration;

/**
 * What a client asks for.
 *
 * @param resource what to lease
 * @param caller the name of the API key that asks: a requestId is unique per caller
 * @param owner who asks, for inspection and problem details
 * @param mode how to share the resource
 * @param permits how many permits (1 for locks and elections)
 * @param limit a semaphore's permit limit (null for locks and elections)
 * @param ttl how long the lease lives without a renewal
 * @param maxWait how long to wait for the grant; zero means try once
 * @param requestId makes a retry return the same lease; may be null
 * @param value an elected leader's advertised value; may be null
 */
public record LeaseRequest(
        ResourceKey resource,
        String caller,
        String owner,
        LeaseMode mode,
        int permits,
        Integer limit,
        Duration ttl,
        Duration maxWait,
        String requestId,
        String value) {

    /**
     * What a retry with the same requestId must ask for again: everything but how long it waits.
     * The value is compared by its hash, so a long value does not make every row long.
     */
    String fingerprint() {
        return "owner=" + owner + ", mode=" + mode + ", permits=" + permits + ", limit=" + limit + ", ttlMs="
                + ttl.toMillis() + ", value#=" + (value == null ? "none" : Integer.toHexString(value.hashCode()));
    }
}
