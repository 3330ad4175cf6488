package dev.baton.lock.engine;

import java.time.Instant;
import java.util.UUID;

/**
 * A granted lease.
 *
 * @param leaseId identifies the lease for renewal and release
 * @param resource what it is on
 * @param owner who holds it
 * @param mode how it shares the resource
 * @param permits how many permits it holds
 * @param token the fencing token: strictly increasing per resource, in grant order
 * @param value an elected leader's advertised value, else null
 * @param ttlMs its time to live in milliseconds
 * @param grantedAt when it was granted (database clock)
 * @param expiresAt when it ends unless renewed (database clock)
 */
public record Lease(
        UUID leaseId,
        ResourceKey resource,
        String owner,
        LeaseMode mode,
        int permits,
        long token,
        String value,
        long ttlMs,
        Instant grantedAt,
        Instant expiresAt) {}
