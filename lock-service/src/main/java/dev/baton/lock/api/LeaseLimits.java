package dev.baton.lock.api;

import java.time.Duration;

/** The bounds of every lease request. */
public final class LeaseLimits {

    /** The shortest TTL: shorter leases would expire before a client could renew them. */
    public static final long MIN_TTL_MS = 100;

    /** The longest TTL (a day): a crashed holder blocks others for at most this long. */
    public static final long MAX_TTL_MS = 86_400_000;

    /** The TTL of a request that names none. */
    public static final long DEFAULT_TTL_MS = 30_000;

    /** The longest a request may wait for a grant. */
    public static final long MAX_WAIT_MS = 300_000;

    private LeaseLimits() {}

    public static Duration ttlOf(Long ttlMs) {
        return Duration.ofMillis(ttlMs == null ? DEFAULT_TTL_MS : ttlMs);
    }

    public static Duration maxWaitOf(Long waitMs) {
        return Duration.ofMillis(waitMs == null ? 0 : waitMs);
    }
}
