package dev.baton.lock.lease;

import java.time.Duration;

/**
 * What a client asks for.
 *
 * @param resource what to lease
 * @param owner who asks, for inspection and problem details
 * @param mode how to share the resource
 * @param permits how many permits (1 for locks and elections)
 * @param limit a semaphore's permit limit (null for locks and elections)
 * @param ttl how long the lease lives without a renewal
 * @param maxWait how long to wait for the grant; zero means try once
 * @param requestId makes a retry return the same lease; may be null
 * @param value an elected leader's advertised value; may be null
 */
public record LeaseRequest(ResourceKey resource, String owner, LeaseMode mode, int permits, Integer limit,
        Duration ttl, Duration maxWait, String requestId, String value) {
}
