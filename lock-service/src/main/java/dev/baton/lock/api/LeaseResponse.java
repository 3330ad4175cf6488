package dev.baton.lock.api;

import dev.baton.lock.engine.Lease;
import dev.baton.lock.engine.LeaseMode;
import java.time.Instant;
import java.util.UUID;

/**
 * A granted lease, as the API shows it to its holder.
 *
 * @param leaseId renew and release it with this id
 * @param name the lock, semaphore or election
 * @param owner who holds it
 * @param mode {@code EXCLUSIVE}, {@code SHARED} or {@code PERMITS}
 * @param permits how many permits it holds
 * @param token the fencing token: pass it to every resource the lease protects
 * @param value an elected leader's advertised value
 * @param ttlMs time to live without a renewal
 * @param grantedAt when it was granted
 * @param expiresAt when it ends unless renewed
 */
record LeaseResponse(
        UUID leaseId,
        String name,
        String owner,
        LeaseMode mode,
        int permits,
        long token,
        String value,
        long ttlMs,
        Instant grantedAt,
        Instant expiresAt) {

    public static LeaseResponse of(Lease lease) {
        return new LeaseResponse(
                lease.leaseId(),
                lease.resource().name(),
                lease.owner(),
                lease.mode(),
                lease.permits(),
                lease.token(),
                lease.value(),
                lease.ttlMs(),
                lease.grantedAt(),
                lease.expiresAt());
    }
}
