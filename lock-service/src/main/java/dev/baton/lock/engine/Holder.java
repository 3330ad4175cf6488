package dev.baton.lock.engine;

import java.time.OffsetDateTime;

/**
 * A current holder, as inspection and refusals show it (without its lease id: only the holder
 * may renew or release its lease).
 *
 * @param owner who holds it
 * @param mode how
 * @param permits how many permits
 * @param token its fencing token
 * @param value an elected leader's value
 * @param grantedAt when it was granted
 * @param expiresAt when it ends unless renewed
 */
public record Holder(
        String owner,
        LeaseMode mode,
        int permits,
        long token,
        String value,
        OffsetDateTime grantedAt,
        OffsetDateTime expiresAt) {}
