package dev.baton.lock.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A renewal.
 *
 * @param ttlMs the new time to live, from now; the lease's own TTL when absent
 */
record Renewal(
        @Min(LeaseLimits.MIN_TTL_MS) @Max(LeaseLimits.MAX_TTL_MS)
        Long ttlMs) {}
