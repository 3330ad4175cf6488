package dev.baton.lock.lock;

import dev.baton.lock.api.LeaseLimits;
import dev.baton.lock.api.LeaseRoutes;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.LeaseMode;
import dev.baton.lock.engine.LeaseRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How a lock is acquired: {@code POST /api/v1/locks/{name}/leases}, served by {@link LeaseRoutes}. */
@Configuration(proxyBeanMethods = false)
class LockAcquisition {

    /** How a lock is held. */
    enum LockMode {
        EXCLUSIVE,
        SHARED
    }

    /**
     * A request for a lock.
     *
     * @param owner who asks: shown to others in inspection and refusals
     * @param ttlMs how long the lease lives without a renewal (default 30000)
     * @param waitMs how long to wait for the grant (default 0: try once)
     * @param mode EXCLUSIVE (default) or SHARED
     * @param requestId makes the request idempotent: a retry by the same API key returns the same lease
     */
    record AcquireLock(
            @NotBlank @Size(max = 200) String owner,

            @Min(LeaseLimits.MIN_TTL_MS) @Max(LeaseLimits.MAX_TTL_MS)
            Long ttlMs,

            @Min(0) @Max(LeaseLimits.MAX_WAIT_MS) Long waitMs,
            LockMode mode,
            @Size(min = 1, max = 200) String requestId) {}

    @Bean
    LeaseRoutes.Acquisition<AcquireLock> lockRoute() {
        return new LeaseRoutes.Acquisition<>(
                LeaseKind.LOCK,
                LockController.TAG,
                LockController.PATH,
                "/{name}/leases",
                "Acquire a lock",
                "201 with the lease; 409 when not granted within waitMs. "
                        + "Waiters are granted in arrival order. A retry with the same requestId but other "
                        + "parameters is a 409.",
                AcquireLock.class,
                (key, caller, body) -> LeaseRequest.of(key, caller, body.owner())
                        .mode(body.mode() == LockMode.SHARED ? LeaseMode.SHARED : LeaseMode.EXCLUSIVE)
                        .ttl(LeaseLimits.ttlOf(body.ttlMs()))
                        .maxWait(LeaseLimits.maxWaitOf(body.waitMs()))
                        .requestId(body.requestId())
                        .build());
    }
}
