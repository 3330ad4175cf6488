package dev.baton.lock.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * What a client asks for; built by name with {@link #of}.
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
     * Starts the request of {@code owner} for {@code resource}, made with the API key named
     * {@code caller}: one exclusive permit without a limit, no wait, no requestId and no value
     * until the builder says otherwise.
     */
    public static Builder of(ResourceKey resource, String caller, String owner) {
        return new Builder(resource, caller, owner);
    }

    /** Builds a {@link LeaseRequest}; its TTL must be set. */
    public static final class Builder {

        private final ResourceKey resource;
        private final String caller;
        private final String owner;
        private LeaseMode mode = LeaseMode.EXCLUSIVE;
        private int permits = 1;
        private Integer limit;
        private Duration ttl;
        private Duration maxWait = Duration.ZERO;
        private String requestId;
        private String value;

        private Builder(ResourceKey resource, String caller, String owner) {
            this.resource = resource;
            this.caller = caller;
            this.owner = owner;
        }

        /** How to share a lock: {@link LeaseMode#EXCLUSIVE} or {@link LeaseMode#SHARED}. */
        public Builder mode(LeaseMode mode) {
            this.mode = mode;
            return this;
        }

        /** Permits of a semaphore whose holders agree on {@code limit}. */
        public Builder permits(int permits, int limit) {
            this.mode = LeaseMode.PERMITS;
            this.permits = permits;
            this.limit = limit;
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** An elected leader's advertised value. */
        public Builder value(String value) {
            this.value = value;
            return this;
        }

        public LeaseRequest build() {
            return new LeaseRequest(
                    resource,
                    caller,
                    owner,
                    mode,
                    permits,
                    limit,
                    Objects.requireNonNull(ttl, "ttl"),
                    maxWait,
                    requestId,
                    value);
        }
    }

    /**
     * What a retry with the same requestId must ask for again: everything but how long it waits.
     * The value is compared by its hash, so a long value does not make every row long.
     */
    String fingerprint() {
        return "owner=" + owner + ", mode=" + mode + ", permits=" + permits + ", limit=" + limit + ", ttlMs="
                + ttl.toMillis() + ", value#=" + (value == null ? "none" : Integer.toHexString(value.hashCode()));
    }
}
